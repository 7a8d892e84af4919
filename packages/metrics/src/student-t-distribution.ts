import tCdf from '@stdlib/stats-base-dists-t-cdf';

/**
 * P(T ≤ t) for Student's t with `degreesOfFreedom` > 0 (need not be an integer; NaN for an
 * infinite one). From @stdlib/stats-base-dists-t-cdf, which evaluates the regularised incomplete
 * beta function on whichever of ν / (ν + t²) and t² / (ν + t²) is small, so tails keep their
 * relative precision up to very large ν.
 */
export function studentTCdf(t: number, degreesOfFreedom: number): number {
  if (Number.isNaN(t) || !(degreesOfFreedom > 0)) return Number.NaN;
  const halfTail = studentTTwoSidedPValue(t, degreesOfFreedom) / 2;
  return t >= 0 ? 1 - halfTail : halfTail;
}

/** P(|T| ≥ |t|): the two-sided p-value of a t statistic, twice the lower tail at −|t| (no cancellation). */
export function studentTTwoSidedPValue(t: number, degreesOfFreedom: number): number {
  if (Number.isNaN(t) || !(degreesOfFreedom > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  // The library answers 0.5 for every t at ν = ∞; the hand-written code this replaced gave NaN, and still does.
  if (degreesOfFreedom === Number.POSITIVE_INFINITY) return Number.NaN;
  return 2 * tCdf(-Math.abs(t), degreesOfFreedom);
}
