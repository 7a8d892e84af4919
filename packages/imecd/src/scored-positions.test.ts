import { describe, expect, it } from 'vitest';
import { scoredPositions } from './scored-positions';

describe('scoredPositions', () => {
  it('lists every scored position, each row last one, and where each scored row goes among the last ones', () => {
    // Row 0: targets at positions 1, 2 (last 2). Row 1: nothing. Row 2: position 0 and 2 (last 2).
    const targets = Int32Array.from([0, 5, 6, 0, 0, 0, 7, 0, 8]);
    const scored = scoredPositions(targets, 3, 3);
    expect(Array.from(scored.positions)).toEqual([1, 2, 6, 8]);
    expect(Array.from(scored.targets)).toEqual([5, 6, 7, 8]);
    expect(Array.from(scored.lastPositions)).toEqual([2, 8]);
    expect(Array.from(scored.lastTargets)).toEqual([6, 8]);
    expect(Array.from(scored.lastIndexOfScored)).toEqual([2, 0, 2, 1]);
  });

  it('refuses a batch with nothing to score', () => {
    expect(() => scoredPositions(new Int32Array(4), 2, 2)).toThrow(/no nonzero target/);
  });
});
