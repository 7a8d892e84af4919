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

  it('reports NaN instead of a rank: a NaN below, above or tied with the target, or the target itself', () => {
    const ranker = createRowRanker(3, 'expected', []);
    expect(ranker.rank(new Float32Array([0.1, Number.NaN, 0.3]), 0, 0)).toBeNaN();
    expect(ranker.rank(new Float32Array([0.5, Number.NaN, 0.3]), 0, 0)).toBeNaN();
    expect(ranker.rank(new Float32Array([Number.NaN, 0.2, 0.3]), 0, 0)).toBeNaN();
    const five = createRowRanker(5, 'expected', []);
    expect(five.rank(new Float32Array([0.4, 0.4, Number.NaN, 0.9, 0.1]), 0, 0)).toBeNaN();
  });

  it('counts ties by the tie rule, alone or beside scores above and below', () => {
    // Synthetic row: target 0 scores 0.4; one tie (id 1), one above (id 3), two below.
    const scores = new Float32Array([0.4, 0.4, 0.1, 0.9, 0.2]);
    expect(createRowRanker(5, 'expected', []).rank(scores, 0, 0)).toBe(1.5);
    expect(createRowRanker(5, 'strict', []).rank(scores, 0, 0)).toBe(2);
    expect(createRowRanker(5, 'optimistic', []).rank(scores, 0, 0)).toBe(1);
    expect(createRowRanker(5, 'strict', []).rank(new Float32Array([0.4, 0.4, 0.4, 0.4, 0.4]), 0, 2)).toBe(4);
  });

  it('accepts only the three tie modes', () => {
    expect(validateTieMode('optimistic')).toBe('optimistic');
    expect(() => validateTieMode('toString')).toThrow(/ties/);
    expect(() => validateTieMode(undefined)).toThrow(/ties/);
  });
});
