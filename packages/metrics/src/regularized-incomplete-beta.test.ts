import { describe, expect, it } from 'vitest';
import { regularizedIncompleteBeta } from './regularized-incomplete-beta';

describe('regularizedIncompleteBeta', () => {
  it('matches closed forms', () => {
    expect(regularizedIncompleteBeta(0.3, 2.5, 1)).toBeCloseTo(0.3 ** 2.5, 13); // I_x(a, 1) = x^a
    expect(regularizedIncompleteBeta(0.2, 1, 3)).toBeCloseTo(1 - 0.8 ** 3, 13); // I_x(1, b) = 1 − (1 − x)^b = 0.488
    expect(regularizedIncompleteBeta(0.4, 2, 2)).toBeCloseTo(0.352, 13); // 3x² − 2x³ = 0.48 − 0.128
    expect(regularizedIncompleteBeta(0.5, 7.3, 7.3)).toBeCloseTo(0.5, 13); // symmetric about 1/2
  });

  it('satisfies I_x(a, b) + I_(1−x)(b, a) = 1 on both sides of the switch point', () => {
    for (const [x, a, b] of [
      [0.1, 3, 9],
      [0.9, 3, 9],
      [0.999, 50, 0.5],
      [1e-4, 0.5, 5e5],
    ] as const) {
      expect(regularizedIncompleteBeta(x, a, b) + regularizedIncompleteBeta(1 - x, b, a)).toBeCloseTo(1, 12);
    }
  });

  it('stays accurate in relative terms when one parameter is huge (a t-test with many users)', () => {
    // I_x(a, 1) = x^a on each side of the switch point (a + 1)/(a + b + 2) = 0.999998.
    expect(regularizedIncompleteBeta(0.999997, 1e6, 1) / 0.999997 ** 1e6).toBeCloseTo(1, 12);
    expect(regularizedIncompleteBeta(0.999999, 1e6, 1) / 0.999999 ** 1e6).toBeCloseTo(1, 12);
  });

  it('returns the end points and NaN for bad arguments', () => {
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expect(regularizedIncompleteBeta(1.5, 2, 3)).toBeNaN();
    expect(regularizedIncompleteBeta(0.5, 0, 3)).toBeNaN();
  });
});
