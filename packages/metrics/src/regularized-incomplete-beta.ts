import { continuedFraction } from './continued-fraction';
import { logBeta } from './log-gamma';

/**
 * I_x(a, b) = B(x; a, b) / B(a, b), the CDF of a Beta(a, b) variable, for a, b > 0, x in [0, 1].
 * The continued fraction of DLMF 8.17.22 converges fast for x < (a + 1) / (a + b + 2); above that
 * the symmetry I_x(a, b) = 1 − I_(1−x)(b, a) brings x back under the threshold.
 *
 * `complement` is 1 − x; pass it when it is known more precisely than `1 - x` computes (x near 1):
 * a · ln x with a = 5e6 turns the 1e-16 rounding of x into 5e-10 of relative error otherwise.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number, complement = 1 - x): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) return Number.NaN;
  if (x === 0 || x === 1) return x;
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedIncompleteBeta(complement, b, a, x);
  const logX = x < 0.5 ? Math.log(x) : Math.log1p(-complement);
  const logComplement = complement < 0.5 ? Math.log(complement) : Math.log1p(-x);
  const logFront = a * logX + b * logComplement - Math.log(a) - logBeta(a, b);
  // 1 / (1 + d1 / (1 + d2 / (1 + …))), with d_(2m+1) = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1))
  // and d_(2m) = m(b−m)x / ((a+2m−1)(a+2m)).
  const fraction = continuedFraction(1, (n) => {
    const m = Math.floor(n / 2);
    const coefficient =
      n % 2 === 1
        ? (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))
        : (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    return [coefficient, 1];
  });
  return Math.exp(logFront) / fraction;
}
