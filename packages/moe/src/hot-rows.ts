import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * A multi-hot input given by its hot columns, never materialised: row n of x has a 1 in each column
 * `hotColumns[n, l]` (l = 0 … levels − 1) and 0 elsewhere, so x·W is the sum of W's rows at those
 * columns. Semantic item codes are the usual case (level l's code c at column l · codesPerLevel + c;
 * {@link hotRowsFromCodes}). The caller owns `hotColumns`.
 */
export interface HotRows {
  /** int32 [N, levels], each in [0, inputSize). */
  readonly hotColumns: Tensor2D;
}

/** Whether a mixture input is {@link HotRows} rather than a dense tensor. */
export const isHotRows = (x: unknown): x is HotRows =>
  typeof x === 'object' && x !== null && !(x instanceof tf.Tensor) && (x as HotRows).hotColumns !== undefined;

/**
 * {@link HotRows} for codes laid out as [rows, levels] (e.g. `ItemCodes.codes` of @imecd/data-amazon):
 * level l's code c becomes column l · codesPerLevel + c, so the input width is levels · codesPerLevel.
 */
export function hotRowsFromCodes(codes: ArrayLike<number>, levels: number, codesPerLevel: number): HotRows {
  if (!Number.isInteger(levels) || levels < 1)
    throw new InvalidArgumentError('levels', `expected a positive integer, got ${levels}`);
  if (!Number.isInteger(codesPerLevel) || codesPerLevel < 1)
    throw new InvalidArgumentError('codesPerLevel', `expected a positive integer, got ${codesPerLevel}`);
  if (codes.length % levels !== 0)
    throw new ShapeMismatchError('codes', `a multiple of levels ${levels} entries`, [codes.length]);
  const columns = Int32Array.from({ length: codes.length }, (_, flat) => {
    const code = codes[flat]!;
    if (!Number.isInteger(code) || code < 0 || code >= codesPerLevel) {
      throw new InvalidArgumentError(
        'codes',
        `entry ${flat} (row ${Math.floor(flat / levels)}, level ${flat % levels}) is ${code}, outside 0..${codesPerLevel - 1}`,
      );
    }
    return (flat % levels) * codesPerLevel + code;
  });
  return { hotColumns: tf.tensor2d(columns, [codes.length / levels, levels], 'int32') };
}

/**
 * x·kernel for hot rows x: the sum over levels of kernel's rows at the hot columns, [N, width].
 * Level by level — one gather per level forward, one segment sum of ∂y per level backward — so
 * neither pass builds the [N · levels, width] rows that `tf.gather` on all columns and its
 * gradient would (on instruments-mm, 25,004 × 256 per modality per step, summed back by a
 * broadcast product and one large UnsortedSegmentSum): forward and backward ~115 → ~52 ms there
 * (one modality, wasm, 1 thread). Each output row adds its levels in order and each kernel row
 * sums its ∂y rows in row order, so on wasm values and gradients equal that form's to the bit.
 */
export function hotMatMul(hot: HotRows, kernel: Tensor2D): Tensor2D {
  const [rows, levels] = hot.hotColumns.shape;
  if (levels === 0) return tf.zeros([rows, kernel.shape[1]]);
  // Each pass takes the columns level by level itself, so no tensor outlives a call that never backpropagates.
  const columnsByLevel = (): Tensor1D[] => tf.unstack(tf.transpose(hot.hotColumns) as Tensor2D) as Tensor1D[]; // [N, levels] → levels × [N]
  const product = tf.customGrad((...args: unknown[]) => {
    const [weights] = args as [Tensor2D];
    return {
      value: tf.tidy(() => tf.addN(columnsByLevel().map((column) => tf.gather(weights, column)))) as Tensor2D, // [N, width]
      gradFunc: (dy: Tensor) => [
        tf.tidy(() => tf.addN(columnsByLevel().map((column) => tf.unsortedSegmentSum(dy, column, weights.shape[0])))), // [inputSize, width]
      ],
    };
  }) as (weights: Tensor2D) => Tensor2D;
  return product(kernel);
}

/**
 * The smallest and largest column of each hot-columns tensor seen, read back once: a model applies the
 * same constant item codes at every step, so the range is not read from the backend each time.
 */
const columnRanges = new WeakMap<Tensor, readonly [number, number]>();

/** Checks hot rows against the mixture's input width. */
export function checkHotRows(hot: HotRows, inputSize: number): void {
  const columns = hot.hotColumns;
  if (columns.rank !== 2 || columns.dtype !== 'int32')
    throw new ShapeMismatchError('x.hotColumns', '[N, levels] int32', columns.shape);
  let range = columnRanges.get(columns);
  if (range === undefined) {
    range =
      columns.size === 0
        ? [0, 0]
        : tf.tidy(() => [tf.min(columns).dataSync()[0]!, tf.max(columns).dataSync()[0]!] as const);
    columnRanges.set(columns, range);
  }
  const [smallest, largest] = range;
  if (smallest < 0 || largest >= inputSize)
    throw new InvalidArgumentError(
      'x.hotColumns',
      `columns must lie in 0..${inputSize - 1} (inputSize), got ${smallest}..${largest}`,
    );
}
