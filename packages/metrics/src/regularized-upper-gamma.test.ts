import { describe, expect, it } from 'vitest';
import { regularizedUpperGamma } from './regularized-upper-gamma';

describe('regularizedUpperGamma', () => {
  it('matches closed forms on both the series and the continued-fraction side', () => {
    expect(regularizedUpperGamma(1, 0.5)).toBeCloseTo(Math.exp(-0.5), 14); // Q(1, x) = e^(−x), series side
    expect(regularizedUpperGamma(1, 5)).toBeCloseTo(Math.exp(-5), 14); // continued-fraction side
    expect(regularizedUpperGamma(2, 3)).toBeCloseTo(4 * Math.exp(-3), 14); // Q(2, x) = (1 + x) e^(−x)
    expect(regularizedUpperGamma(3, 2)).toBeCloseTo(5 * Math.exp(-2), 14); // Q(3, x) = (1 + x + x²/2) e^(−x)
    expect(regularizedUpperGamma(0.5, 1)).toBeCloseTo(0.157299207050285, 14); // = erfc(1)
  });

  it('keeps small tails accurate in relative terms', () => {
    expect(regularizedUpperGamma(1, 50) / Math.exp(-50)).toBeCloseTo(1, 12);
  });

  it('handles the end points and bad arguments', () => {
    expect(regularizedUpperGamma(2, 0)).toBe(1);
    expect(regularizedUpperGamma(2, Number.POSITIVE_INFINITY)).toBe(0);
    expect(regularizedUpperGamma(0, 1)).toBeNaN();
    expect(regularizedUpperGamma(1, -1)).toBeNaN();
  });
});
