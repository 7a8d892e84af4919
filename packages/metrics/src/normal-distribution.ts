import { regularizedUpperGamma } from './regularized-upper-gamma';

/** Φ(z), the standard normal CDF. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const halfTail = normalTwoSidedPValue(z) / 2;
  return z >= 0 ? 1 - halfTail : halfTail;
}

/** P(|Z| ≥ |z|) = erfc(|z| / √2) = Q(1/2, z² / 2), since Z² is chi-squared with one degree of freedom. */
export function normalTwoSidedPValue(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return regularizedUpperGamma(0.5, (z * z) / 2);
}
