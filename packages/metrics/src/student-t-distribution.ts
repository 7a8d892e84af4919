import { regularizedIncompleteBeta } from './regularized-incomplete-beta';

/**
 * P(T ≤ t) for Student's t with `degreesOfFreedom` > 0 (need not be an integer). Uses
 * P(|T| > |t|) = I_(ν / (ν + t²))(ν / 2, 1 / 2), the regularised incomplete beta function.
 */
export function studentTCdf(t: number, degreesOfFreedom: number): number {
  if (Number.isNaN(t) || !(degreesOfFreedom > 0)) return Number.NaN;
  const halfTail = studentTTwoSidedPValue(t, degreesOfFreedom) / 2;
  return t >= 0 ? 1 - halfTail : halfTail;
}

/** P(|T| ≥ |t|): the two-sided p-value of a t statistic. */
export function studentTTwoSidedPValue(t: number, degreesOfFreedom: number): number {
  if (Number.isNaN(t) || !(degreesOfFreedom > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  const denominator = degreesOfFreedom + t * t;
  return regularizedIncompleteBeta(degreesOfFreedom / denominator, degreesOfFreedom / 2, 0.5, (t * t) / denominator);
}
