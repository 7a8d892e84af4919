import { InvalidArgumentError } from '@imecd/core';
import { metricAtRank } from './metric-at-rank';
import type { MetricKey } from './metric-key';
import { DEFAULT_CUTOFFS, METRIC_NAMES, metricKey, parseMetricKey, validateCutoffs } from './metric-key';

/**
 * Mean HR, Recall, NDCG and MRR at every cutoff over users, from each user's 0-based target
 * rank. Keys are grouped by metric (`hr@5, hr@10, …, recall@5, …, ndcg@…, mrr@…`).
 */
export function metricsFromRanks(
  ranks: ArrayLike<number>,
  ks: readonly number[] = DEFAULT_CUTOFFS,
): Record<MetricKey, number> {
  const cutoffs = validateCutoffs(ks);
  validateRanks(ranks);
  const metrics = {} as Record<MetricKey, number>;
  for (const name of METRIC_NAMES) {
    for (const k of cutoffs) {
      let sum = 0;
      for (let user = 0; user < ranks.length; user++) sum += metricAtRank(name, ranks[user] as number, k);
      metrics[metricKey(name, k)] = sum / ranks.length;
    }
  }
  return metrics;
}

/** Each user's value of one metric (`ndcg@10`, …), in the order of `ranks`: input to paired tests. */
export function perUserMetric(ranks: ArrayLike<number>, key: MetricKey): Float64Array {
  const { name, k } = parseMetricKey(key);
  validateRanks(ranks);
  const values = new Float64Array(ranks.length);
  for (let user = 0; user < ranks.length; user++) values[user] = metricAtRank(name, ranks[user] as number, k);
  return values;
}

function validateRanks(ranks: ArrayLike<number>): void {
  if (ranks.length === 0) throw new InvalidArgumentError('ranks', 'expected at least one user');
  for (let user = 0; user < ranks.length; user++) {
    const rank = ranks[user] as number;
    // `!(rank >= 0)` also rejects NaN, which would otherwise count as a silent miss.
    if (!(rank >= 0)) throw new InvalidArgumentError('ranks', `rank of user ${user} must be >= 0, got ${rank}`);
  }
}
