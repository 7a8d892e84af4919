import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** The exact (erf) GELU, `x · Φ(x) = 0.5 · x · (1 + erf(x / √2))`, as in BERT and RecBole; elementwise. */
export function gelu<T extends Tensor>(x: T): T {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))) as T);
}
