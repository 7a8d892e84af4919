import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { lastAxisLayer } from './last-axis-layer';
import { createNamedVariable, type Module } from './module';
import { requirePositiveInteger, requirePositiveNumber, requireScopeName } from './validate';

/** Options of {@link createLayerNorm}. */
export interface LayerNormOptions {
  /** Size of the normalised last axis. Required. */
  size: number;
  /** Added to the variance before the square root. Default 1e-12 (BERT, RecBole). */
  epsilon?: number;
  /** Scope of the variables `<name>/gamma` (ones) and `<name>/beta` (zeros), both [size]. Default `'layer_norm'`. */
  name?: string;
}

/** Layer normalisation over the last axis: `γ · (x − mean) / sqrt(var + ε) + β`. */
export interface LayerNorm extends Module {
  readonly size: number;
  readonly gamma: Variable;
  readonly beta: Variable;
  /** [..., size] → [..., size]. */
  apply<T extends Tensor>(x: T): T;
}

export function createLayerNorm(options: LayerNormOptions): LayerNorm {
  const size = requirePositiveInteger('size', options.size);
  const epsilon = requirePositiveNumber('epsilon', options.epsilon ?? 1e-12);
  const name = requireScopeName('name', options.name ?? 'layer_norm');

  const gamma = createNamedVariable(`${name}/gamma`, [size], new Float32Array(size).fill(1));
  const beta = createNamedVariable(`${name}/beta`, [size], new Float32Array(size));
  const variables = [gamma, beta];

  return {
    size,
    gamma,
    beta,
    ...lastAxisLayer(name, size, variables, (x) => {
      // Written out (not tf.moments) so the gradient uses only the plainest, everywhere-registered ops.
      const mean = tf.mean(x, -1, true); // [..., 1]
      const centered = tf.sub(x, mean); // [..., size]
      const variance = tf.mean(tf.square(centered), -1, true); // [..., 1]
      const normalized = tf.mul(centered, tf.rsqrt(tf.add(variance, epsilon)));
      return tf.add(tf.mul(normalized, gamma), beta);
    }),
  };
}
