import { beforeAll, describe, expect, it } from 'vitest';
import { createPop } from './pop';
import { recommend } from './recommend';
import { useCpuBackend } from './test-backend.test-helper';

beforeAll(useCpuBackend);

describe('recommend', () => {
  // Synthetic counts: item 3 ×3, item 1 ×2, items 2 and 4 ×1 each.
  const pop = createPop({ numItems: 4 });
  pop.fit!({ trainingSequences: [Int32Array.from([3, 3, 1]), Int32Array.from([3, 1, 2, 4])] });
  const keys = ['', 'A', 'B', 'C', 'D'];

  it('returns the top-k with scores, ties broken by the smaller id', () => {
    expect(recommend(pop, [1], { k: 3 })).toEqual([
      { item: 3, score: 3 },
      { item: 1, score: 2 },
      { item: 2, score: 1 },
    ]);
  });

  it('takes and returns source keys, and excludes only what it is told to', () => {
    const result = recommend(pop, ['A', 'C'], { k: 2, itemKeys: keys, exclude: [3] });
    expect(result.map((entry) => entry.key)).toEqual(['A', 'B']);
  });

  it('rejects unknown keys, out-of-range ids, empty histories and bad k', () => {
    expect(() => recommend(pop, ['Z'], { itemKeys: keys })).toThrow(/unknown item "Z"/);
    expect(() => recommend(pop, [7])).toThrow(/outside 1..4/);
    expect(() => recommend(pop, [])).toThrow(/at least one/);
    expect(() => recommend(pop, [1], { k: 0 })).toThrow(/k/);
  });
});
