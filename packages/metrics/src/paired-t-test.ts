import { pairedDifferences } from './paired-differences';
import { studentTTwoSidedPValue } from './student-t-distribution';

export interface PairedTTestResult {
  /** Mean of a[i] − b[i]; positive when `a` scores higher. */
  meanDifference: number;
  /** Mean difference over its standard error (sample std / √n). */
  t: number;
  /** n − 1. */
  degreesOfFreedom: number;
  /** Two-sided. */
  pValue: number;
}

/**
 * Student's paired t-test on per-user values of two models (same users, same order), e.g. two
 * `result.perUser('ndcg@10')` arrays. Needs at least 2 pairs. When every difference is the same,
 * the standard error is 0: equal arrays give t = 0 and p = 1; a constant non-zero difference
 * gives t = ±Infinity and p = 0.
 */
export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>): PairedTTestResult {
  const differences = pairedDifferences(a, b, 2);
  const n = differences.length;
  let sum = 0;
  for (const difference of differences) sum += difference;
  const meanDifference = sum / n;
  let squaredDeviations = 0;
  for (const difference of differences) squaredDeviations += (difference - meanDifference) ** 2;
  const standardError = Math.sqrt(squaredDeviations / (n - 1) / n);
  const degreesOfFreedom = n - 1;
  if (standardError === 0) {
    const t = meanDifference === 0 ? 0 : Math.sign(meanDifference) * Number.POSITIVE_INFINITY;
    return { meanDifference, t, degreesOfFreedom, pValue: meanDifference === 0 ? 1 : 0 };
  }
  const t = meanDifference / standardError;
  return { meanDifference, t, degreesOfFreedom, pValue: studentTTwoSidedPValue(t, degreesOfFreedom) };
}
