import { describe, expect, it } from 'vitest';
import { studentTCdf, studentTTwoSidedPValue } from './student-t-distribution';

describe('studentTCdf', () => {
  it('matches the closed forms for 1 and 2 degrees of freedom', () => {
    // ν = 1 (Cauchy): 1/2 + atan(t)/π. t = 1 → 0.75; t = −3 → 0.5 − 1.2490458/π = 0.1024164.
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 13);
    expect(studentTCdf(-3, 1)).toBeCloseTo(0.5 + Math.atan(-3) / Math.PI, 13);
    // ν = 2: 1/2 + t / (2 √(t² + 2)). t = 1 → 0.5 + 1/(2√3) = 0.7886751.
    expect(studentTCdf(1, 2)).toBeCloseTo(0.5 + 1 / (2 * Math.sqrt(3)), 13);
  });

  it('matches two-sided critical values from a t table', () => {
    expect(studentTTwoSidedPValue(2.228, 10)).toBeCloseTo(0.05, 3); // t(0.975, 10) = 2.228
    expect(studentTTwoSidedPValue(2.042, 30)).toBeCloseTo(0.05, 3); // t(0.975, 30) = 2.042
    expect(studentTTwoSidedPValue(3.169, 10)).toBeCloseTo(0.01, 3); // t(0.995, 10) = 3.169
    expect(studentTTwoSidedPValue(1.96, 1e6)).toBeCloseTo(0.05, 3); // large ν: the normal 1.96
    expect(studentTTwoSidedPValue(2.576, 1e6)).toBeCloseTo(0.01, 3);
  });

  it('is symmetric, 1/2 at 0, and 0 or 1 at the infinities', () => {
    expect(studentTCdf(0, 7)).toBe(0.5);
    expect(studentTCdf(-1.3, 7.5) + studentTCdf(1.3, 7.5)).toBeCloseTo(1, 14);
    expect(studentTTwoSidedPValue(0, 4)).toBe(1);
    expect(studentTCdf(Number.POSITIVE_INFINITY, 3)).toBe(1);
    expect(studentTCdf(Number.NEGATIVE_INFINITY, 3)).toBe(0);
    expect(studentTCdf(Number.NaN, 3)).toBeNaN();
    expect(studentTCdf(1, 0)).toBeNaN();
  });
});
