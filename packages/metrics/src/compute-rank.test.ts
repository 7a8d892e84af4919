import { InvalidArgumentError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { computeRank } from './compute-rank';

// Synthetic row over item ids 0..6; id 0 plays the padding id. Target 1 scores 0.5.
//   higher than the target: id 0 (0.9), id 2 (0.7), id 6 (0.7)
//   tied with the target:   id 3 (0.5), id 4 (0.5)
//   lower:                  id 5 (0.2)
const row = new Float32Array([0.9, 0.5, 0.7, 0.5, 0.5, 0.2, 0.7]);

describe('computeRank', () => {
  it('places ties as each mode says', () => {
    // 3 higher, 2 tied: expected 3 + 0.5 × 2 = 4, strict 3 + 2 = 5, optimistic 3.
    expect(computeRank(row, 1)).toBe(4);
    expect(computeRank(row, 1, { ties: 'expected' })).toBe(4);
    expect(computeRank(row, 1, { ties: 'strict' })).toBe(5);
    expect(computeRank(row, 1, { ties: 'optimistic' })).toBe(3);
  });

  it('does not count an excluded padding column', () => {
    // Without id 0: 2 higher, 2 tied → expected 3, strict 4, optimistic 2.
    expect(computeRank(row, 1, { excludeItems: [0] })).toBe(3);
    expect(computeRank(row, 1, { excludeItems: [0], ties: 'strict' })).toBe(4);
    expect(computeRank(row, 1, { excludeItems: [0], ties: 'optimistic' })).toBe(2);
  });

  it('masks history items but keeps the target a candidate', () => {
    // History [3, 6] removes a tied item and a higher one: 1 higher (id 2), 1 tied (id 4) → 1.5.
    expect(computeRank(row, 1, { excludeItems: [0], history: [3, 6] })).toBe(1.5);
    expect(computeRank(row, 1, { excludeItems: [0], history: new Int32Array([3, 6]), ties: 'strict' })).toBe(2);
    // The target in its own history is still ranked; id 3 is masked: 2 higher, 1 tied → 2.5.
    expect(computeRank(row, 1, { excludeItems: [0], history: [1, 3] })).toBe(2.5);
    // Repeats and the padding id in a history change nothing: same as history [3] → 2.5.
    expect(computeRank(row, 1, { excludeItems: [0], history: [0, 3, 3, 0] })).toBe(2.5);
  });

  it('ranks the top item 0 and treats infinities as ordinary scores', () => {
    expect(computeRank(row, 0)).toBe(0);
    const withInfinity = new Float64Array([
      Number.NEGATIVE_INFINITY,
      1,
      Number.POSITIVE_INFINITY,
      Number.POSITIVE_INFINITY,
    ]);
    // Target 2 ties with id 3 at +Infinity: expected 0.5. Target 0 is below everything: 3.
    expect(computeRank(withInfinity, 2)).toBe(0.5);
    expect(computeRank(withInfinity, 0)).toBe(3);
  });

  it('throws on NaN anywhere in the row, the target included', () => {
    const nanElsewhere = new Float32Array([0, 0.5, Number.NaN, 0.1]);
    expect(() => computeRank(nanElsewhere, 1)).toThrow(InvalidArgumentError);
    expect(() => computeRank(nanElsewhere, 1)).toThrow(/NaN/);
    expect(() => computeRank(new Float32Array([0.3, Number.NaN, 0.1]), 1)).toThrow(/NaN/);
    // An excluded column is no hiding place for NaN: it still means the model is broken.
    expect(() => computeRank(new Float32Array([Number.NaN, 0.5, 0.1]), 1, { excludeItems: [0] })).toThrow(/NaN/);
  });

  it('rejects targets and history ids outside the row, and excluded targets', () => {
    expect(() => computeRank(row, 7)).toThrow(/target/);
    expect(() => computeRank(row, -1)).toThrow(/target/);
    expect(() => computeRank(row, 1.5)).toThrow(/target/);
    expect(() => computeRank(row, 0, { excludeItems: [0] })).toThrow(/excludeItems/);
    expect(() => computeRank(row, 1, { excludeItems: [9] })).toThrow(/excludeItems/);
    expect(() => computeRank(row, 1, { history: [7] })).toThrow(/history/);
    // @ts-expect-error: not a TieMode
    expect(() => computeRank(row, 1, { ties: 'random' })).toThrow(/ties/);
    expect(() => computeRank(new Float32Array(0), 0)).toThrow(/scoreRow/);
  });
});
