import { normalTwoSidedPValue } from './normal-distribution';
import { pairedDifferences } from './paired-differences';

export interface WilcoxonOptions {
  /** Move |W+ − mean| half a unit towards the mean before dividing by the std. Default `false`. */
  continuityCorrection?: boolean;
}

export interface WilcoxonResult {
  /** Pairs with a non-zero difference: the n of the test. */
  n: number;
  /** Pairs dropped because a[i] === b[i]. */
  zeros: number;
  /** Sum of the ranks of |a[i] − b[i]| where a is higher. */
  wPlus: number;
  /** Sum of the ranks where b is higher; wPlus + wMinus = n (n + 1) / 2. */
  wMinus: number;
  /** Standardised W+; positive when `a` tends to be higher. 0 when n = 0. */
  z: number;
  /** Two-sided, from the normal approximation; 1 when n = 0. */
  pValue: number;
}

/**
 * Wilcoxon signed-rank test on per-user values of two models, with the normal approximation.
 * Zeros: pairs with a[i] === b[i] are dropped (Wilcoxon's original treatment), so n counts the
 * rest. Ties: equal |differences| share the mean of their ranks, and the variance loses
 * Σ(t³ − t) / 48 over tie groups of size t. Then z = (W+ − n(n+1)/4) / √(n(n+1)(2n+1)/24 − Σ(t³ − t)/48).
 * Ranking metrics put many users on the same few values, so ties are the rule, not the exception;
 * with the thousands of users of a test split the normal approximation is accurate.
 */
export function wilcoxonSignedRank(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: WilcoxonOptions = {},
): WilcoxonResult {
  const continuityCorrection = options.continuityCorrection ?? false;
  const differences = pairedDifferences(a, b, 1).filter((difference) => difference !== 0);
  const n = differences.length;
  const zeros = a.length - n;
  if (n === 0) return { n, zeros, wPlus: 0, wMinus: 0, z: 0, pValue: 1 };

  const order = Array.from({ length: n }, (_, index) => index);
  order.sort((left, right) => Math.abs(differences[left] as number) - Math.abs(differences[right] as number));
  let wPlus = 0;
  let tieCorrection = 0; // Σ (t³ − t) over groups of tied |differences|
  for (let start = 0; start < n; ) {
    const magnitude = Math.abs(differences[order[start] as number] as number);
    let end = start + 1;
    while (end < n && Math.abs(differences[order[end] as number] as number) === magnitude) end++;
    const size = end - start;
    const sharedRank = (start + 1 + end) / 2; // mean of the 1-based ranks start + 1 … end
    for (let position = start; position < end; position++) {
      if ((differences[order[position] as number] as number) > 0) wPlus += sharedRank;
    }
    tieCorrection += size ** 3 - size;
    start = end;
  }
  const wMinus = (n * (n + 1)) / 2 - wPlus;
  const mean = (n * (n + 1)) / 4;
  const standardDeviation = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieCorrection / 48);
  let deviation = wPlus - mean;
  if (continuityCorrection) deviation = Math.sign(deviation) * Math.max(0, Math.abs(deviation) - 0.5);
  const z = deviation / standardDeviation;
  return { n, zeros, wPlus, wMinus, z, pValue: normalTwoSidedPValue(z) };
}
