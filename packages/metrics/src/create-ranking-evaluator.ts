import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import type { MetricKey } from './metric-key';
import { DEFAULT_CUTOFFS, validateCutoffs } from './metric-key';
import { metricsFromRanks, perUserMetric } from './metrics-from-ranks';
import type { RowRanker, TieMode } from './row-ranker';
import { createRowRanker, validateTieMode } from './row-ranker';

export interface RankingEvaluatorOptions {
  /** Cutoffs K for every metric; positive integers, no repeats. Default `[5, 10, 20]`. */
  ks?: readonly number[];
  /** How items scoring exactly like the target are placed (see `TieMode`). Default `'expected'`. */
  ties?: TieMode;
  /**
   * Item ids (columns) that never count in any row, e.g. `[0]` for the padding id. A target in
   * this list is an error. Checked against `numItems` at the first batch. Default `[]`.
   */
  excludeItems?: readonly number[];
  /**
   * Leave out each user's history items (`histories` in `addBatch`), except the target itself,
   * which always stays a candidate. Reported in the result so tables can say which protocol
   * they used. Default `false`.
   */
  maskHistory?: boolean;
}

/** One batch of users, scored against every item. */
export interface RankingBatch {
  /** Row-major scores, `[B, numItems]`, one column per item id; higher is better. */
  scores: Float32Array | Float64Array;
  /** Columns per row; the same for every batch. */
  numItems: number;
  /** The held-out item id of each user, `[B]`. */
  targets: Int32Array | readonly number[];
  /** Each user's past item ids, `B` arrays of any length. Required when `maskHistory` is on. */
  histories?: readonly (Int32Array | readonly number[])[];
}

export interface RankingResult {
  /** Mean of each metric over all users added. */
  metrics: Record<MetricKey, number>;
  /** Users added. */
  count: number;
  /** Each user's 0-based target rank, in the order added; fractional under `ties: 'expected'`. */
  ranks: Float64Array;
  /** Each user's value of one metric, in the order added (any well-formed key, not only `ks`). */
  perUser(key: MetricKey): Float64Array;
  ks: readonly number[];
  ties: TieMode;
  maskHistory: boolean;
  /** Users whose target also appears in their history (kept as a candidate when masking). */
  targetsInHistory: number;
}

export interface RankingEvaluator {
  /** Ranks every user of the batch; a batch that throws adds nobody. */
  addBatch(batch: RankingBatch): void;
  /** A snapshot of everything added so far; more batches may follow. Throws if no user was added. */
  result(): RankingResult;
}

/**
 * Full-ranking evaluation in batches: each batch's `[B, numItems]` scores are reduced to one rank
 * per user as they arrive, so the users × items matrix never exists at once.
 */
export function createRankingEvaluator(options: RankingEvaluatorOptions = {}): RankingEvaluator {
  const ks = validateCutoffs(options.ks ?? DEFAULT_CUTOFFS);
  const ties = validateTieMode(options.ties ?? 'expected');
  const excludeItems = [...(options.excludeItems ?? [])];
  for (const item of excludeItems) {
    if (!Number.isSafeInteger(item) || item < 0) {
      throw new InvalidArgumentError('excludeItems', `expected non-negative integer item ids, got ${item}`);
    }
  }
  const maskHistory = options.maskHistory ?? false;
  if (typeof maskHistory !== 'boolean') throw new InvalidArgumentError('maskHistory', 'expected a boolean');

  let ranker: RowRanker | undefined;
  let ranks = new Float64Array(1024);
  let count = 0;
  let targetsInHistory = 0;

  function rankerFor(numItems: number): RowRanker {
    if (!Number.isSafeInteger(numItems) || numItems <= 0) {
      throw new InvalidArgumentError('numItems', `expected a positive integer, got ${numItems}`);
    }
    if (ranker === undefined) return createRowRanker(numItems, ties, excludeItems);
    if (ranker.numItems !== numItems) {
      throw new ShapeMismatchError('numItems', `${ranker.numItems} (as in the first batch)`, [numItems]);
    }
    return ranker;
  }

  function validateBatch(batch: RankingBatch, numItems: number, rowRanker: RowRanker): void {
    const { scores, targets, histories } = batch;
    const batchSize = targets.length;
    if (scores.length !== batchSize * numItems) {
      const expected = `[${batchSize}, ${numItems}] (${batchSize * numItems} values)`;
      throw new ShapeMismatchError('scores', expected, [scores.length]);
    }
    for (let row = 0; row < batchSize; row++) {
      const target = targets[row] as number;
      if (!Number.isInteger(target) || target < 0 || target >= numItems) {
        throw new InvalidArgumentError('targets', `row ${row}: expected an item id in [0, ${numItems}), got ${target}`);
      }
      if (rowRanker.isExcluded(target)) {
        throw new InvalidArgumentError('targets', `row ${row}: item ${target} is in excludeItems`);
      }
    }
    if (maskHistory && histories === undefined) {
      throw new InvalidArgumentError('histories', 'required when maskHistory is true');
    }
    if (histories === undefined) return;
    if (histories.length !== batchSize) {
      throw new ShapeMismatchError('histories', `${batchSize} rows`, [histories.length]);
    }
    if (!maskHistory) return;
    for (let row = 0; row < batchSize; row++) {
      const history = histories[row] as ArrayLike<number>;
      for (let index = 0; index < history.length; index++) {
        const item = history[index] as number;
        if (!Number.isInteger(item) || item < 0 || item >= numItems) {
          throw new InvalidArgumentError('histories', `row ${row}: item ${item} is not in [0, ${numItems})`);
        }
      }
    }
  }

  function reserve(extra: number): void {
    if (count + extra <= ranks.length) return;
    const grown = new Float64Array(Math.max(ranks.length * 2, count + extra));
    grown.set(ranks.subarray(0, count));
    ranks = grown;
  }

  return {
    addBatch(batch) {
      const numItems = batch.numItems;
      const rowRanker = rankerFor(numItems);
      validateBatch(batch, numItems, rowRanker);
      const { scores, targets } = batch;
      const histories = maskHistory ? batch.histories : undefined;
      const batchSize = targets.length;
      reserve(batchSize);
      let batchTargetsInHistory = 0;
      for (let row = 0; row < batchSize; row++) {
        const target = targets[row] as number;
        const history = histories?.[row];
        const rank = rowRanker.rank(scores, row * numItems, target, history); // row of [B, numItems]
        if (Number.isNaN(rank)) {
          throw new InvalidArgumentError('scores', `row ${row} contains NaN; NaN scores cannot be ranked`);
        }
        ranks[count + row] = rank;
        if (history !== undefined && containsItem(history, target)) batchTargetsInHistory++;
      }
      // Commit only now, so a batch that threw above leaves the evaluator as it was.
      ranker = rowRanker;
      count += batchSize;
      targetsInHistory += batchTargetsInHistory;
    },

    result() {
      if (count === 0) throw new InvalidArgumentError('result', 'no users were added; call addBatch first');
      const snapshot = ranks.slice(0, count);
      return {
        metrics: metricsFromRanks(snapshot, ks),
        count,
        ranks: snapshot,
        perUser: (key) => perUserMetric(snapshot, key),
        ks,
        ties,
        maskHistory,
        targetsInHistory,
      };
    },
  };
}

function containsItem(items: ArrayLike<number>, item: number): boolean {
  for (let index = 0; index < items.length; index++) if (items[index] === item) return true;
  return false;
}
