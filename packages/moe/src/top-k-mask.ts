import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import type { GradSaveFunc, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/*
 * Which entries are kept is piecewise constant in the scores, so its derivative is zero almost
 * everywhere. tfjs registers no gradient for TopK at all and refuses to differentiate through it;
 * the custom gradient states the zero explicitly, and the scores keep their gradient through the
 * path that uses the mask.
 */
const selectTopK = (k: number) =>
  tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [scores] = args as [Tensor2D];
    const numColumns = scores.shape[1];
    const { indices } = tf.topk(scores, k); // [N, k]
    const mask = tf.sum(tf.oneHot(indices, numColumns), 1); // [N, numColumns]: k ones per row
    return { value: tf.cast(mask, 'float32'), gradFunc: () => [tf.zerosLike(scores)] };
  }) as (scores: Tensor2D) => Tensor2D;

/**
 * A 0/1 mask of the `k` largest entries of each row of `scores` [N, C] → [N, C], exactly `k` ones
 * per row; among tied scores the lower index is kept (`tf.topk`'s order on cpu and wasm). Its gradient is zero.
 */
export function topKMask(scores: Tensor2D, k: number): Tensor2D {
  if (scores.rank !== 2) throw new ShapeMismatchError('scores', '[N, C]', scores.shape);
  if (!Number.isInteger(k) || k < 1 || k > scores.shape[1]) {
    throw new InvalidArgumentError('k', `expected an integer in [1, ${scores.shape[1]}], got ${k}`);
  }
  return selectTopK(k)(scores);
}
