import type { GradSaveFunc, Tensor, Tensor3D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/*
 * Why this exists: tf.matMul's registered gradient computes dA = dy·Bᵀ and dB = Aᵀ·dy with the
 * transpose flags of BatchMatMul. The wasm backend runs flagged products on a slow generic loop
 * (~2 GFLOP/s) and only plain 2-D products on XNNPACK (~30 GFLOP/s). An explicit tf.transpose
 * costs a few milliseconds and keeps both gradient products flag-free.
 */

/** Swaps the last two axes of a rank-2 or rank-3 tensor. */
function transposeLastTwo(x: Tensor): Tensor {
  return tf.transpose(x, x.rank === 2 ? [1, 0] : [0, 2, 1]);
}

/**
 * `a·b` for rank-2 ([m, k]·[k, n]) or rank-3 ([B, m, k]·[B, k, n]) operands, shapes already
 * checked by the caller, with a flag-free gradient. Internal to matMul2d and batchMatMul.
 */
export const flagFreeMatMul = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
  const [a, b, save] = args as [Tensor3D, Tensor3D, GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b), // [(B,) m, n]
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [savedA, savedB] = saved as [Tensor, Tensor];
      return [
        tf.matMul(dy as Tensor3D, transposeLastTwo(savedB) as Tensor3D), // dy·bᵀ: [(B,) m, k]
        tf.matMul(transposeLastTwo(savedA) as Tensor3D, dy as Tensor3D), // aᵀ·dy: [(B,) k, n]
      ];
    },
  };
}) as <T extends Tensor>(a: T, b: T) => T;
