import type { Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** Each row of `x` [N, d] divided by its L2 norm; a zero row stays zero instead of becoming NaN. */
export function normalizeRows(x: Tensor2D): Tensor2D {
  return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), 1, true), 1e-12))));
}
