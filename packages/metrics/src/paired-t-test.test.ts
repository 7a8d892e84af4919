import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { pairedTTest } from './paired-t-test';

describe('pairedTTest', () => {
  it('matches a hand computation with 2 degrees of freedom', () => {
    // Differences a − b = [1, 2, 3]: mean 2, sample std 1, standard error 1/√3, t = 2√3 = 3.4641016.
    // With ν = 2, P(|T| ≥ t) = 1 − t/√(t² + 2) = 1 − √(12/14) = 1 − 0.9258201 = 0.0741799.
    const result = pairedTTest([1.5, 2, 3.25], [0.5, 0, 0.25]);
    expect(result.meanDifference).toBeCloseTo(2, 14);
    expect(result.t).toBeCloseTo(2 * Math.sqrt(3), 12);
    expect(result.degreesOfFreedom).toBe(2);
    expect(result.pValue).toBeCloseTo(1 - Math.sqrt(6 / 7), 12);
  });

  it('flips the sign of t but not p when the models swap', () => {
    const a = [0.2, 0.5, 0.1, 0.9, 0.4];
    const b = [0.1, 0.5, 0.3, 0.6, 0.2];
    const forward = pairedTTest(a, b);
    const backward = pairedTTest(b, a);
    expect(backward.t).toBeCloseTo(-forward.t, 14);
    expect(backward.pValue).toBeCloseTo(forward.pValue, 14);
    expect(forward.pValue).toBeGreaterThan(0);
    expect(forward.pValue).toBeLessThan(1);
  });

  it('gives p = 1 for equal arrays and p = 0 for a constant non-zero difference', () => {
    expect(pairedTTest([0.3, 0.5, 0.7], [0.3, 0.5, 0.7])).toEqual({
      meanDifference: 0,
      t: 0,
      degreesOfFreedom: 2,
      pValue: 1,
    });
    const constant = pairedTTest([1, 2, 3], [0, 1, 2]);
    expect(constant.t).toBe(Number.POSITIVE_INFINITY);
    expect(constant.pValue).toBe(0);
  });

  it('rejects mismatched lengths, fewer than 2 pairs and NaN', () => {
    expect(() => pairedTTest([1, 2, 3], [1, 2])).toThrow(ShapeMismatchError);
    expect(() => pairedTTest([1], [2])).toThrow(/at least 2 pairs/);
    expect(() => pairedTTest([1, Number.NaN], [2, 3])).toThrow(InvalidArgumentError);
  });
});
