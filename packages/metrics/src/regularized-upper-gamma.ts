import { continuedFraction } from './continued-fraction';
import { logGamma } from './log-gamma';

/**
 * Q(a, x) = Γ(a, x) / Γ(a), the upper tail of a Gamma(a, 1) variable, for a > 0, x ≥ 0. Below
 * x = a + 1 the power series of P = 1 − Q converges fast; above it the continued fraction of
 * Γ(a, x) (DLMF 8.9.2 in even form) does, and keeps small tails accurate.
 */
export function regularizedUpperGamma(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  const logFront = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // P(a, x) = e^(−x) x^a / Γ(a + 1) · Σ x^n / ((a + 1) … (a + n)).
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-17; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - Math.exp(logFront) * sum;
  }
  // Γ(a, x) = e^(−x) x^a / (x + 1 − a − 1(1 − a) / (x + 3 − a − 2(2 − a) / (x + 5 − a − …))).
  const denominator = continuedFraction(x + 1 - a, (n) => [-n * (n - a), x + 2 * n + 1 - a]);
  return Math.exp(logFront) / denominator;
}
