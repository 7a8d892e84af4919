/** Below this, the recurrence moves the argument up before Stirling's series is used. */
const STIRLING_THRESHOLD = 15;

/**
 * ln Γ(x) for x > 0. Uses Stirling's series, whose error at x ≥ 15 is below 1e-15 after the
 * terms kept here, and the recurrence Γ(x) = Γ(x + 1) / x to move smaller x up to 15.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let shift = 0; // ln of x (x + 1) … (x + m − 1)
  let z = x;
  while (z < STIRLING_THRESHOLD) {
    shift += Math.log(z);
    z += 1;
  }
  return (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + stirlingSeries(z) - shift;
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). When one argument is large, ln Γ(large) and
 * ln Γ(large + small) are huge and nearly equal (about 1e7 at a = 1e6), so their difference is
 * taken from Stirling's series directly instead of subtracting: that keeps the relative error
 * of t-test p-values at large degrees of freedom near 1e-15 instead of 1e-9.
 */
export function logBeta(a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) return Number.NaN;
  const small = Math.min(a, b);
  const large = Math.max(a, b);
  if (large < STIRLING_THRESHOLD) return logGamma(a) + logGamma(b) - logGamma(a + b);
  // ln Γ(L) − ln Γ(L + s) = −s ln L − (L + s − 1/2) ln(1 + s/L) + s + series(L) − series(L + s).
  const difference =
    -small * Math.log(large) -
    (large + small - 0.5) * Math.log1p(small / large) +
    small +
    stirlingSeries(large) -
    stirlingSeries(large + small);
  return logGamma(small) + difference;
}

/** ln Γ(z) − [(z − 1/2) ln z − z + ln √(2π)] for z ≥ 15, from Stirling's series. */
function stirlingSeries(z: number): number {
  const inverse = 1 / z;
  const inverseSquared = inverse * inverse;
  // Bernoulli-number coefficients B_2k / (2k (2k − 1)): 1/12, −1/360, 1/1260, −1/1680, 1/1188.
  const tail = 1 / 1260 - inverseSquared * (1 / 1680 - inverseSquared / 1188);
  return inverse * (1 / 12 - inverseSquared * (1 / 360 - inverseSquared * tail));
}
