import type { Rng } from '@imecd/core';
import {
  createChildModules,
  createDense,
  type Dense,
  disposeVariables,
  drawSeed,
  dropout,
  gelu,
  type Initializer,
  variablesOf,
} from '@imecd/nn';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { DenoiserBackbone } from './denoiser';

/** Options of {@link createMlpBackbone}, already validated by the denoiser. */
export interface MlpBackboneOptions {
  dataSize: number;
  conditionSize: number;
  hiddenSize: number;
  numLayers: number;
  dropout: number;
  initializer: Initializer;
  name: string;
}

/**
 * [x_t ‖ c ‖ τ(t)] → `numLayers` × (dense → GELU → dropout) of width H → dense to D. With no
 * hidden layer it is DreamRec's single linear denoiser. Variables `<name>/hidden_<i>`, `<name>/output`.
 */
export function createMlpBackbone(options: MlpBackboneOptions, rng: Rng): DenoiserBackbone {
  const { dataSize, conditionSize, hiddenSize, numLayers, initializer, name } = options;
  const widths = [dataSize + conditionSize + hiddenSize, ...new Array<number>(numLayers).fill(hiddenSize), dataSize];
  // Layer i maps widths[i] → widths[i + 1]; the last one is the output layer.
  const factories = Object.fromEntries(
    widths.slice(0, -1).map((inputSize, index) => {
      const suffix = index === numLayers ? 'output' : `hidden_${index}`;
      const outputSize = widths[index + 1] ?? dataSize;
      return [
        suffix,
        () => createDense({ inputSize, outputSize, name: `${name}/${suffix}`, seed: drawSeed(rng), initializer }),
      ];
    }),
  );
  const layers = createChildModules<Record<string, Dense>>(factories);
  const hiddenLayers = Object.values(layers).slice(0, numLayers);
  const outputLayer = layers.output as Dense;
  const variables = variablesOf(layers);

  return {
    variables,
    dispose: () => disposeVariables(variables),
    apply(input, time) {
      return tf.tidy(() => {
        let hidden = tf.concat([input.noisy, input.condition, time], 1) as Tensor2D; // [B, D + C + H]
        for (const layer of hiddenLayers) {
          hidden = gelu(layer.apply(hidden)); // [B, H]
          // Seeds are drawn only while training, so evaluation calls do not shift later training masks.
          if (input.training) hidden = dropout(hidden, options.dropout, { training: true, seed: drawSeed(rng) });
        }
        return outputLayer.apply(hidden); // [B, D]
      });
    },
  };
}
