import { ShapeMismatchError } from '@imecd/core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { flagFreeMatMul } from './flag-free-mat-mul';

/**
 * `a·b` for `a` [m, k] and `b` [k, n] → [m, n], with a gradient built from explicit transposes
 * and flag-free products, so forward and backward both stay on wasm's fast 2-D matmul kernel
 * (`tf.matMul`'s own gradient uses transpose flags and runs ~10× slower there). Prefer it to
 * `tf.matMul` for every trainable 2-D product, and pass `tf.transpose(b)` instead of a transpose
 * flag when an operand is stored the other way round.
 */
export function matMul2d(a: Tensor2D, b: Tensor2D): Tensor2D {
  if (a.rank !== 2) throw new ShapeMismatchError('a', '[m, k]', a.shape);
  if (b.rank !== 2 || b.shape[0] !== a.shape[1]) throw new ShapeMismatchError('b', `[${a.shape[1]}, n]`, b.shape);
  return flagFreeMatMul(a, b);
}
