import {
  type ConstantRows,
  constantRowsMatMul,
  createDense,
  createModuleList,
  createSeededRng,
  type Dense,
  drawSeed,
  gelu,
  type Initializer,
  isConstantRows,
  type Module,
  matMul2d,
} from '@imecd/nn';
import type { Tensor2D, Tensor3D, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type HotRows, hotMatMul, isHotRows } from './hot-rows';

/** What one expert is: an affine map, or a two-layer GELU network. */
export type ExpertKind = 'linear' | 'mlp';

/** Options of {@link createExpertBank}; the mixture validates them before passing them on. */
export interface ExpertBankOptions {
  inputSize: number;
  outputSize: number;
  numExperts: number;
  kind: ExpertKind;
  /** Hidden width of an MLP expert; not read for linear experts. */
  hiddenSize: number;
  /**
   * Scope: expert k owns `<name>/expert_k/{kernel,bias}` (linear) or
   * `<name>/expert_k/{hidden,output}/{kernel,bias}` (MLP).
   */
  name: string;
  seed: number;
  initializer: Initializer;
}

/** K independent experts evaluated together. */
export interface ExpertBank extends Module {
  /** `rows` [N, inputSize], dense, constant or hot → every expert's output, [N, K, outputSize]. */
  apply(rows: Tensor2D | ConstantRows | HotRows): Tensor3D;
}

/**
 * Builds K experts E_k(x) = x·W_k + c_k (linear) or GELU(x·W_k + c_k)·V_k + e_k (MLP), each from
 * its own seed. The first layers of all experts run as one [N, in]·[in, K·width] product, which
 * reads x once and keeps wasm on its fast 2-D kernel; the MLP output layers run one per expert.
 * Internal to the mixture, which validates the options once.
 */
export function createExpertBank(options: ExpertBankOptions): ExpertBank {
  const { inputSize, outputSize, numExperts, kind, hiddenSize, name, initializer } = options;
  const rng = createSeededRng(options.seed);
  const dense = (scope: string, input: number, output: number) => () =>
    createDense({ inputSize: input, outputSize: output, name: scope, seed: drawSeed(rng), initializer });

  // Built in expert order, so `variables` lists expert_0's weights first.
  const {
    items: layers,
    variables,
    dispose,
  } = createModuleList<Dense>(
    Array.from({ length: numExperts }, (_, expert) =>
      kind === 'linear'
        ? [dense(`${name}/expert_${expert}`, inputSize, outputSize)]
        : [
            dense(`${name}/expert_${expert}/hidden`, inputSize, hiddenSize),
            dense(`${name}/expert_${expert}/output`, hiddenSize, outputSize),
          ],
    ).flat(),
  );
  const layersPerExpert = kind === 'linear' ? 1 : 2;
  const firstLayers = layers.filter((_, index) => index % layersPerExpert === 0);
  const outputLayers = kind === 'linear' ? [] : layers.filter((_, index) => index % layersPerExpert === 1);

  return {
    variables,
    dispose,
    apply(rows) {
      return tf.tidy(() => {
        const kernels = tf.concat(
          firstLayers.map((layer) => layer.kernel as Variable),
          1,
        ) as Tensor2D; // [in, K·width]
        const biases = tf.concat(
          firstLayers.map((layer) => layer.bias as Variable),
          0,
        ); // [K·width]
        const product = isHotRows(rows)
          ? hotMatMul(rows, kernels)
          : isConstantRows(rows)
            ? constantRowsMatMul(rows, kernels)
            : matMul2d(rows, kernels); // [N, K·width]
        const first = tf.add(product, biases) as Tensor2D; // [N, K·width]
        const count = first.shape[0];
        if (kind === 'linear') return tf.reshape(first, [count, numExperts, outputSize]); // [N, K, out]
        const hidden = gelu(first);
        const outputs = outputLayers.map(
          (layer, expert) => layer.apply(tf.slice(hidden, [0, expert * hiddenSize], [count, hiddenSize])), // [N, hidden] → [N, out]
        );
        return tf.stack(outputs, 1) as Tensor3D; // [N, K, out]
      });
    },
  };
}
