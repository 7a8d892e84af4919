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
});
