import { InvalidArgumentError } from './errors';

/**
 * Packs histories into one row-major [B, L] matrix, left-padded with 0 so the most recent item
 * sits in the last column; longer histories keep their last `maxLength` items.
 */
export function padHistories(histories: readonly ArrayLike<number>[], maxLength: number): Int32Array {
  if (!Number.isInteger(maxLength) || maxLength < 1) {
    throw new InvalidArgumentError('maxLength', `expected a positive integer, got ${maxLength}`);
  }
  const batch = new Int32Array(histories.length * maxLength); // [B, L]
  histories.forEach((history, row) => {
    const kept = Math.min(history.length, maxLength);
    const rowEnd = (row + 1) * maxLength;
    for (let back = 1; back <= kept; back++) batch[rowEnd - back] = history[history.length - back]!;
  });
  return batch;
}
