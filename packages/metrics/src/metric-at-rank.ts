import type { MetricName } from './metric-key';

/**
 * One user's value of a metric, given the 0-based rank of their single target (rank 0 = top).
 * A fractional rank (from expected tie handling) uses the same formulas: a hit when rank < k,
 * NDCG 1/log2(rank + 2), MRR 1/(rank + 1). `Infinity` means the target was never ranked: 0.
 */
export function metricAtRank(name: MetricName, rank: number, k: number): number {
  if (!(rank < k)) return 0;
  switch (name) {
    case 'hr':
    case 'recall':
      return 1;
    case 'ndcg':
      return 1 / Math.log2(rank + 2);
    case 'mrr':
      return 1 / (rank + 1);
  }
}
