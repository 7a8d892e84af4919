import {
  BLOCKED_SCORE,
  createDense,
  createModuleList,
  createSeededRng,
  type Dense,
  drawSeed,
  type Initializer,
  type Module,
} from '@imecd/nn';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type HotRows, hotMatMul, isHotRows } from './hot-rows';
import { topKMask } from './top-k-mask';

/** Options of {@link createGate}; the mixture validates them before passing them on. */
export interface GateOptions {
  /** Width of the vector the gate reads: the guide g, or x itself for self gating. */
  sourceSize: number;
  numExperts: number;
  /** τ: the logits are divided by it before the softmax. */
  temperature: number;
  /** Add learned Gaussian noise to the logits while training. */
  noisy: boolean;
  /** Experts kept per row; `numExperts` keeps all of them. */
  topK: number;
  /** Scope of `<name>/kernel`, `<name>/bias` and, when noisy, `<name>_noise/kernel`. */
  name: string;
  seed: number;
  initializer: Initializer;
}

/** Options of {@link Gate.apply}. */
export interface GateApplyOptions {
  training: boolean;
  /** Seed of the noise; only read while training a noisy gate. */
  seed: number;
}

/** The routing part of the mixture: per row, a probability over the experts. */
export interface Gate extends Module {
  /** The gate weights `softmax(KeepTopK(h) / τ)`, [N, S] (dense or hot) → [N, K]; each row sums to 1. */
  apply(source: Tensor2D | HotRows, options: GateApplyOptions): Tensor2D;
}

/** Small offset that keeps the noise scale positive even where softplus underflows (UniSRec's value). */
const MINIMUM_NOISE_SCALE = 1e-2;

/**
 * A softmax gate over K experts with optional noisy top-k routing (Shazeer et al. 2017, as UniSRec
 * uses it): h = s·W_g + b, plus ε ⊙ (softplus(s·W_n) + 0.01) with ε ~ N(0, I) while training a
 * noisy gate; the top-k entries of h are kept, the rest get a blocked score, then softmax(h / τ).
 * Internal to the mixture, which validates the options once.
 */
export function createGate(options: GateOptions): Gate {
  const { sourceSize, numExperts, temperature, noisy, topK, name, initializer } = options;
  const rng = createSeededRng(options.seed);
  const [projection, noiseProjection] = createModuleList<Dense>([
    () => createDense({ inputSize: sourceSize, outputSize: numExperts, name, seed: drawSeed(rng), initializer }),
    ...(noisy
      ? [
          () =>
            createDense({
              inputSize: sourceSize,
              outputSize: numExperts,
              useBias: false,
              name: `${name}_noise`,
              seed: drawSeed(rng),
              initializer,
            }),
        ]
      : []),
  ]).items as [Dense, Dense | undefined];
  const variables = [...projection.variables, ...(noiseProjection?.variables ?? [])];

  /** dense·W + b, or the hot-row form of the same product. */
  const project = (layer: Dense, source: Tensor2D | HotRows): Tensor2D =>
    isHotRows(source)
      ? layer.bias === undefined
        ? hotMatMul(source, layer.kernel as Tensor2D)
        : (tf.add(hotMatMul(source, layer.kernel as Tensor2D), layer.bias) as Tensor2D)
      : (layer.apply(source) as Tensor2D);

  const addNoise = (source: Tensor2D | HotRows, clean: Tensor2D, seed: number): Tensor2D => {
    if (noiseProjection === undefined) return clean;
    // Drawn in JavaScript from the seed, like @imecd/nn's dropout masks: the same on every backend.
    const noiseRng = createSeededRng(seed);
    const standardNormal = Float32Array.from({ length: clean.size }, () => noiseRng.normal());
    const scale = tf.add(tf.softplus(project(noiseProjection, source)), MINIMUM_NOISE_SCALE); // [N, K]
    return tf.add(clean, tf.mul(tf.tensor(standardNormal, clean.shape, 'float32'), scale));
  };

  return {
    variables,
    dispose: () => {
      projection.dispose();
      noiseProjection?.dispose();
    },
    apply(source, { training, seed }) {
      return tf.tidy(() => {
        const clean = project(projection, source); // [N, K]
        const logits = training ? addNoise(source, clean, seed) : clean;
        const scaled = tf.div(logits, temperature) as Tensor2D;
        if (topK === numExperts) return tf.softmax(scaled);
        // Blocked experts get a score whose exp() underflows to exactly 0: their weight is 0, not tiny.
        const blocked = tf.mul(tf.sub(1, topKMask(scaled, topK)), BLOCKED_SCORE);
        return tf.softmax(tf.add(scaled, blocked) as Tensor2D);
      });
    },
  };
}
