import type { GradSaveFunc, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { nearestCodes } from './nearest-codes';

/*
 * Why custom gradients here: the code search (scores, argmin) has no useful gradient, but a tape
 * that records it still back-propagates zeros through its [N, K] product; running the search
 * inside a custom gradient keeps it off the tape. The lookup is a plain gather forward (several
 * times faster than a one-hot product on the cpu backend, about even on wasm), but gather's own
 * gradient needs UnsortedSegmentSum, which plain wasm lacks, so its gradient is written as the
 * one-hot product that every backend runs.
 */

/** [N] int32: index of the nearest code for each row of `inputs` [N, d], with no gradient. */
export const assignCodes = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
  const [inputs, codes] = args as [Tensor2D, Tensor2D];
  const value = tf.tidy(() => {
    const { indices, squaredDistances } = nearestCodes(inputs, codes);
    squaredDistances.dispose();
    return indices;
  });
  return { value, gradFunc: () => [tf.zerosLike(inputs), tf.zerosLike(codes)] };
}) as (inputs: Tensor2D, codes: Tensor2D) => Tensor1D;

/** `codes[indices]`: [K, d] rows picked by [N] int32 indices → [N, d]; each code's gradient is the sum over its rows. */
export function lookupCodes(indices: Tensor1D, codes: Tensor2D): Tensor2D {
  const codebookSize = codes.shape[0];
  const lookup = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [table, save] = args as [Tensor2D, GradSaveFunc];
    save([indices]);
    return {
      value: tf.gather(table, indices), // [N, d]
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [savedIndices] = saved as [Tensor1D];
        const oneHot = tf.cast(tf.oneHot(savedIndices, codebookSize), 'float32'); // [N, K]
        // oneHotᵀ·dy, with an explicit transpose so wasm stays on its fast 2-D kernel.
        return tf.matMul(tf.transpose(oneHot), dy as Tensor2D); // [K, d]
      },
    };
  }) as (table: Tensor2D) => Tensor2D;
  return lookup(codes);
}
