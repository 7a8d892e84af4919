import { ShapeMismatchError } from '@imecd/core';
import { matMul2d } from '@imecd/nn';
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** What {@link nearestCodes} finds for each input row. */
export interface NearestCodes {
  /** [N] int32: the row of the codebook nearest to each input (the first one on ties). */
  indices: Tensor1D;
  /** [N]: the squared L2 distance to that code, clamped at 0 against float32 rounding. */
  squaredDistances: Tensor1D;
}

/**
 * The nearest codebook row of each input under squared L2 distance. ‖z − e‖² = ‖z‖² − 2 z·e + ‖e‖²,
 * and ‖z‖² does not change which code is nearest, so one product of the augmented inputs
 * [z, 1] with the augmented codes [−2e, ‖e‖²] gives every score; the [N, K] matrix needs no
 * further element-wise pass (slow on the cpu backend). For cosine similarity, L2-normalise both
 * arguments first: on unit vectors the nearest code under L2 is the most similar one. No gradient
 * is meant to flow through the result.
 */
export function nearestCodes(inputs: Tensor2D, codebook: Tensor2D): NearestCodes {
  if (inputs.rank !== 2) throw new ShapeMismatchError('inputs', '[N, d]', inputs.shape);
  if (codebook.rank !== 2 || codebook.shape[1] !== inputs.shape[1]) {
    throw new ShapeMismatchError('codebook', `[K, ${inputs.shape[1]}]`, codebook.shape);
  }
  return tf.tidy(() => {
    const augmentedInputs = tf.concat([inputs, tf.ones([inputs.shape[0], 1])], 1); // [N, d + 1]
    const codeNorms = tf.sum(tf.square(codebook), 1, true); // [K, 1]
    const augmentedCodes = tf.concat([tf.mul(codebook, -2), codeNorms], 1); // [K, d + 1]
    const scores = matMul2d(augmentedInputs as Tensor2D, tf.transpose(augmentedCodes) as Tensor2D); // [N, K]: ‖e‖² − 2 z·e
    const inputNorms = tf.sum(tf.square(inputs), 1); // [N]
    return {
      indices: tf.argMin(scores, 1) as Tensor1D,
      squaredDistances: tf.relu(tf.add(tf.min(scores, 1), inputNorms)) as Tensor1D,
    };
  });
}
