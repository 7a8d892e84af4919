import { ShapeMismatchError } from '@imecd/core';
import type { Tensor3D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { flagFreeMatMul } from './flag-free-mat-mul';
import { matMul2d } from './mat-mul-2d';

/** Options of {@link batchMatMul}. */
export interface BatchMatMulOptions {
  /** Multiply by `aᵀ` per batch entry: `a` is then [B, k, m]. Default false. */
  transposeA?: boolean;
  /** Multiply by `bᵀ` per batch entry: `b` is then [B, n, k]. Default false. */
  transposeB?: boolean;
}

/**
 * Batched product of rank-3 tensors with equal batch sizes (no broadcasting): `a` [B, m, k] and
 * `b` [B, k, n] → [B, m, n], after the optional per-entry transposes. Transpose options become
 * explicit `tf.transpose` ops and the product's gradient uses explicit transposes too, so no
 * BatchMatMul ever runs with transpose flags (wasm's slowest path). A batch of one runs on
 * {@link matMul2d}, wasm's fast 2-D kernel; larger batches use wasm's batched kernel, which is
 * slow with or without flags (see scripts/bench-batch-mat-mul.mjs for measurements).
 */
export function batchMatMul(a: Tensor3D, b: Tensor3D, options: BatchMatMulOptions = {}): Tensor3D {
  const { transposeA = false, transposeB = false } = options;
  if (a.rank !== 3) throw new ShapeMismatchError('a', transposeA ? '[B, k, m]' : '[B, m, k]', a.shape);
  if (b.rank !== 3) throw new ShapeMismatchError('b', transposeB ? '[B, n, k]' : '[B, k, n]', b.shape);
  const [batch, aRows, aColumns] = a.shape;
  const [bBatch, bRows, bColumns] = b.shape;
  const [m, k] = transposeA ? [aColumns, aRows] : [aRows, aColumns];
  const [bInner, n] = transposeB ? [bColumns, bRows] : [bRows, bColumns];
  if (bBatch !== batch || bInner !== k) {
    const expected = transposeB ? `[${batch}, n, ${k}]` : `[${batch}, ${k}, n]`;
    throw new ShapeMismatchError('b', expected, b.shape);
  }
  return tf.tidy(() => {
    const left = transposeA ? tf.transpose(a, [0, 2, 1]) : a; // [B, m, k]
    const right = transposeB ? tf.transpose(b, [0, 2, 1]) : b; // [B, k, n]
    if (batch === 1) {
      const product = matMul2d(tf.reshape(left, [m, k]), tf.reshape(right, [k, n])); // [m, n]
      return tf.reshape(product, [1, m, n]);
    }
    return flagFreeMatMul(left, right); // [B, m, n]
  });
}
