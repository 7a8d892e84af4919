import { InvalidArgumentError } from '@imecd/core';
import type { TieMode } from './row-ranker';
import { createRowRanker, validateTieMode } from './row-ranker';

export interface ComputeRankOptions {
  /** How items scoring exactly like the target are placed (see `TieMode`). Default `'expected'`. */
  ties?: TieMode;
  /** Columns that never count, e.g. `[0]` for the padding id; the target may not be one. Default `[]`. */
  excludeItems?: ArrayLike<number>;
  /**
   * Item ids the user already interacted with; when given they are not counted. The target itself
   * stays a candidate even if it appears here (repeat consumption). Default: nothing masked.
   */
  history?: ArrayLike<number>;
}

/**
 * The 0-based rank of `target` in one row of scores (one column per item id): the number of
 * counted items scoring higher, plus ties as `options.ties` says. Fractional under `'expected'`.
 * Throws InvalidArgumentError for NaN anywhere in the row, a target out of range or excluded,
 * and history ids out of range.
 */
export function computeRank(scoreRow: ArrayLike<number>, target: number, options: ComputeRankOptions = {}): number {
  const numItems = scoreRow.length;
  if (numItems === 0) throw new InvalidArgumentError('scoreRow', 'expected at least one item');
  const ranker = createRowRanker(numItems, validateTieMode(options.ties ?? 'expected'), options.excludeItems ?? []);
  if (!Number.isInteger(target) || target < 0 || target >= numItems) {
    throw new InvalidArgumentError('target', `expected an item id in [0, ${numItems}), got ${target}`);
  }
  if (ranker.isExcluded(target)) throw new InvalidArgumentError('target', `item ${target} is in excludeItems`);
  const history = options.history;
  if (history !== undefined) {
    for (let index = 0; index < history.length; index++) {
      const item = history[index] as number;
      if (!Number.isInteger(item) || item < 0 || item >= numItems) {
        throw new InvalidArgumentError('history', `item ${item} is not in [0, ${numItems})`);
      }
    }
  }
  const rank = ranker.rank(scoreRow, 0, target, history);
  if (Number.isNaN(rank)) throw new InvalidArgumentError('scoreRow', 'contains NaN; NaN scores cannot be ranked');
  return rank;
}
