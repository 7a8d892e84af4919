import { describe, expect, it } from 'vitest';
import { normalCdf, normalTwoSidedPValue } from './normal-distribution';

describe('normalCdf', () => {
  it('matches table values', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1)).toBeCloseTo(0.841344746068543, 13);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 13);
    expect(normalCdf(-1.644853626951472)).toBeCloseTo(0.05, 13);
    // Φ(−5) = 2.866515718791939e-7: the tail keeps its relative precision.
    expect(normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 10);
  });

  it('gives two-sided p-values, erfc(1) at z = √2', () => {
    expect(normalTwoSidedPValue(Math.SQRT2)).toBeCloseTo(0.157299207050285, 13);
    expect(normalTwoSidedPValue(-1.959963984540054)).toBeCloseTo(0.05, 13);
    expect(normalTwoSidedPValue(0)).toBe(1);
  });

  it('keeps far tails accurate in relative terms (erfc(z / √2) from mpmath at 50 digits)', () => {
    expect(normalTwoSidedPValue(5) / 5.733031437583878e-7).toBeCloseTo(1, 12);
    expect(normalTwoSidedPValue(-10) / 1.523970604832105e-23).toBeCloseTo(1, 12);
    expect(normalTwoSidedPValue(20) / 5.5072482372124675e-89).toBeCloseTo(1, 12);
    expect(normalCdf(-20) / (5.5072482372124675e-89 / 2)).toBeCloseTo(1, 12);
  });

  it('is 0 or 1 at the infinities and NaN for NaN', () => {
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalTwoSidedPValue(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.NaN)).toBeNaN();
  });
});
