import normalCdfWithParameters from '@stdlib/stats-base-dists-normal-cdf';

/** Φ(z), the standard normal CDF, from @stdlib/stats-base-dists-normal-cdf (erfc(−z / √2) / 2). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const halfTail = normalTwoSidedPValue(z) / 2;
  return z >= 0 ? 1 - halfTail : halfTail;
}

/** P(|Z| ≥ |z|) = erfc(|z| / √2): twice the lower tail at −|z|, so small p-values keep their relative precision. */
export function normalTwoSidedPValue(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return 2 * normalCdfWithParameters(-Math.abs(z), 0, 1);
}
