import { describe, expect, it } from 'vitest';
import { createRowRanker, validateTieMode } from './row-ranker';

describe('createRowRanker', () => {
  it("forgets one row's history before the next row", () => {
    // Synthetic row: target 0 scores 0.5; ids 1 and 2 score higher. Masking id 1 gives rank 1;
    // the same row without a history must give rank 2 again.
    const ranker = createRowRanker(4, 'expected', []);
    const scores = new Float32Array([0.5, 0.9, 0.8, 0.1]);
    expect(ranker.rank(scores, 0, 0, [1])).toBe(1);
    expect(ranker.rank(scores, 0, 0)).toBe(2);
    expect(ranker.rank(scores, 0, 0, [])).toBe(2);
  });

  it('reads the row at an offset inside a batch', () => {
    // [2, 3]: row 1 is [0.2, 0.7, 0.4]; target 2 (0.4) is below id 1 only → rank 1.
    const ranker = createRowRanker(3, 'strict', [0]);
    expect(ranker.rank(new Float64Array([9, 9, 9, 0.2, 0.7, 0.4]), 3, 2)).toBe(1);
    expect(ranker.isExcluded(0)).toBe(true);
    expect(ranker.isExcluded(1)).toBe(false);
  });

  it('reports NaN instead of a rank', () => {
    const ranker = createRowRanker(3, 'expected', []);
    expect(ranker.rank(new Float32Array([0.1, Number.NaN, 0.3]), 0, 0)).toBeNaN();
  });

  it('accepts only the three tie modes', () => {
    expect(validateTieMode('optimistic')).toBe('optimistic');
    expect(() => validateTieMode('toString')).toThrow(/ties/);
    expect(() => validateTieMode(undefined)).toThrow(/ties/);
  });
});
