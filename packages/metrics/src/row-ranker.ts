import { InvalidArgumentError } from '@imecd/core';
import { createSimdRowCounter, type RowCounter } from './simd-row-counter';

/**
 * How items that score exactly the same as the target are placed.
 * - `expected`: half of them above the target: the expected rank under random tie-breaking.
 * - `strict`: all of them above the target (pessimistic; a constant model scores 0).
 * - `optimistic`: none of them above the target (an upper bound; a constant model looks perfect).
 */
export type TieMode = 'expected' | 'strict' | 'optimistic';

const TIE_WEIGHTS: Record<TieMode, number> = { expected: 0.5, strict: 1, optimistic: 0 };

export function validateTieMode(ties: unknown): TieMode {
  if (typeof ties === 'string' && Object.hasOwn(TIE_WEIGHTS, ties)) return ties as TieMode;
  throw new InvalidArgumentError('ties', `expected "expected", "strict" or "optimistic", got ${String(ties)}`);
}

/**
 * Ranks one target inside one row of scores. Created once per item count so every row reuses
 * the same mask: the per-row work is one pass over the row plus the history, with no allocation.
 * Callers validate targets and history ids; the ranker only reports NaN (by returning NaN).
 */
export interface RowRanker {
  readonly numItems: number;
  /** True for columns excluded from every row (they can never be the target). */
  isExcluded(item: number): boolean;
  /**
   * The 0-based rank of `target` among the counted columns of `scores[offset, offset + numItems)`,
   * or NaN when any score in the row is NaN. `history` columns are not counted, except the
   * target itself, which always stays a candidate.
   */
  rank(scores: ArrayLike<number>, offset: number, target: number, history?: ArrayLike<number>): number;
}

/**
 * How the first pass over a row counts: `auto` uses WebAssembly SIMD for Float32Array rows where
 * the runtime has it, `js` always loops in JavaScript (the reference the SIMD path is tested
 * against).
 */
export type RowCounting = 'auto' | 'js';

export function createRowRanker(
  numItems: number,
  ties: TieMode,
  excludeItems: ArrayLike<number>,
  counting: RowCounting = 'auto',
): RowRanker {
  const excludedForEveryRow = 1;
  const maskedForThisRow = 2;
  const mask = new Uint8Array(numItems);
  const excludedColumns: number[] = [];
  for (let index = 0; index < excludeItems.length; index++) {
    const item = excludeItems[index] as number;
    if (!Number.isInteger(item) || item < 0 || item >= numItems) {
      throw new InvalidArgumentError('excludeItems', `item ${item} is not a column of a row of ${numItems} items`);
    }
    if (mask[item] === 0) excludedColumns.push(item);
    mask[item] = excludedForEveryRow;
  }
  const tieWeight = TIE_WEIGHTS[ties];
  const simd: RowCounter | undefined = counting === 'auto' ? createSimdRowCounter(numItems) : undefined;

  return {
    numItems,
    isExcluded: (item) => mask[item] === excludedForEveryRow,
    rank(scores, offset, target, history) {
      const targetScore = scores[offset + target] as number;
      if (Number.isNaN(targetScore)) return Number.NaN;
      // One pass over the whole row; excluded and masked columns are taken back out afterwards,
      // which costs O(excluded + history) instead of a mask lookup per item. The counts add
      // booleans instead of branching (score comparisons are unpredictable: V8 runs this form
      // about 1.5× faster than if/else on random rows), and the first pass keeps two counts, not
      // three (another ~1.4×): `notLower` counts equal scores and NaNs together, so a row where it
      // exceeds `higher` + 1 (ties or a NaN: rare with float scores) is counted again in full.
      // Float32Array rows take that pass in WebAssembly SIMD where it exists (simd-row-counter.ts).
      const end = offset + numItems;
      let higher = 0;
      let notLower = 0;
      if (simd !== undefined && scores instanceof Float32Array) {
        ({ higher, notLower } = simd.count(scores, offset, targetScore));
      } else {
        for (let column = offset; column < end; column++) {
          const score = scores[column] as number;
          higher += +(score > targetScore);
          notLower += +!(score < targetScore);
        }
      }
      let equal = notLower - higher;
      if (equal > 1) {
        let lower = 0;
        higher = 0;
        equal = 0;
        for (let column = offset; column < end; column++) {
          const score = scores[column] as number;
          higher += +(score > targetScore);
          equal += +(score === targetScore);
          lower += +(score < targetScore);
        }
        // NaN compares false every way, so a NaN anywhere leaves the counts short.
        if (higher + equal + lower !== numItems) return Number.NaN;
      }
      equal -= 1; // the target equals itself

      for (const item of excludedColumns) {
        const score = scores[offset + item] as number;
        if (score > targetScore) higher--;
        else if (score === targetScore) equal--;
      }
      if (history !== undefined) {
        for (let index = 0; index < history.length; index++) {
          const item = history[index] as number;
          if (item === target || mask[item] !== 0) continue; // the target, an excluded column, or a repeat
          mask[item] = maskedForThisRow;
          const score = scores[offset + item] as number;
          if (score > targetScore) higher--;
          else if (score === targetScore) equal--;
        }
        for (let index = 0; index < history.length; index++) {
          const item = history[index] as number;
          if (mask[item] === maskedForThisRow) mask[item] = 0;
        }
      }
      return higher + tieWeight * equal;
    },
  };
}
