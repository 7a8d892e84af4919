import type { Scalar, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Σᵢ wᵢ‖aᵢ − bᵢ‖² / (d · Σᵢ wᵢ) for rows [N, d] and row weights [N]: the mean squared error over
 * the elements of the rows that count (PyTorch's `mse_loss` when every weight is 1). 0 when no
 * row counts.
 */
export function weightedMeanSquaredError(a: Tensor2D, b: Tensor2D, weights: Tensor1D): Scalar {
  return tf.tidy(() => {
    const rowErrors = tf.sum(tf.square(tf.sub(a, b)), 1); // [N]
    const total = tf.sum(tf.mul(rowErrors, weights));
    const normalizer = tf.mul(tf.maximum(tf.sum(weights), 1e-12), a.shape[1]);
    return tf.div(total, normalizer) as Scalar;
  });
}
