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

  it('matches a 50-digit reference (mpmath) in relative terms, from 3 to 10⁷ degrees of freedom', () => {
    // P(|T| ≥ t) = I_(ν/(ν + t²))(ν/2, 1/2), evaluated with mpmath.betainc at 50 digits. The large-ν rows are
    // the t-tests over many users; the hand-written code that preceded the library was off by 3e-11 at
    // 10⁶ and 5e-10 at 10⁷ degrees of freedom.
    for (const [t, degreesOfFreedom, reference] of [
      [4, 3, 0.028008456010146166],
      [1.3, 7.5, 0.23212677881560867],
      [2, 10, 0.07338803477074037],
      [20, 1e4, 2.7646525865407734e-87],
      [1.96, 1e6, 0.04999606758526979],
      [5, 2e6, 5.733514637831463e-7],
      [2.5, 1e7, 0.01241934653657847],
    ] as const) {
      expect(studentTTwoSidedPValue(t, degreesOfFreedom) / reference).toBeCloseTo(1, 12);
      expect(studentTCdf(-t, degreesOfFreedom) / (reference / 2)).toBeCloseTo(1, 12);
    }
  });

  it('is symmetric, 1/2 at 0, and 0 or 1 at the infinities', () => {
    expect(studentTCdf(0, 7)).toBe(0.5);
    for (const [t, degreesOfFreedom] of [
      [1.3, 7.5],
      [0.3162278, 100],
      [2, 1e6],
    ] as const) {
      expect(studentTCdf(-t, degreesOfFreedom) + studentTCdf(t, degreesOfFreedom)).toBeCloseTo(1, 14);
    }
    expect(studentTTwoSidedPValue(0, 4)).toBe(1);
    expect(studentTCdf(Number.POSITIVE_INFINITY, 3)).toBe(1);
    expect(studentTCdf(Number.NEGATIVE_INFINITY, 3)).toBe(0);
    expect(studentTCdf(Number.NaN, 3)).toBeNaN();
    expect(studentTCdf(1, 0)).toBeNaN();
    expect(studentTCdf(1, Number.POSITIVE_INFINITY)).toBeNaN(); // as before the library, which answers 0.5 there
  });
});
