/**
 * @file @imecd/metrics — evaluation of next-item recommenders by full ranking over all items:
 * HR/Recall, NDCG and MRR at K from each user's target rank, with documented tie handling,
 * excluded columns (padding) and optional history masking, computed batch by batch so the
 * users × items score matrix never exists at once. Plus what result tables need: mean ± std over
 * seeds, and paired significance tests (Student's t, Wilcoxon signed-rank) between two models.
 * Plain typed arrays; no tensors.
 */

export { aggregateRuns, type MeanStd } from './aggregate-runs';
export { type ComputeRankOptions, computeRank } from './compute-rank';
export {
  createRankingEvaluator,
  type RankingBatch,
  type RankingEvaluator,
  type RankingEvaluatorOptions,
  type RankingResult,
} from './create-ranking-evaluator';
export { formatMeanStd } from './format-mean-std';
export { metricAtRank } from './metric-at-rank';
export {
  DEFAULT_CUTOFFS,
  METRIC_NAMES,
  type MetricKey,
  type MetricName,
  metricKey,
  parseMetricKey,
} from './metric-key';
export { metricsFromRanks, perUserMetric } from './metrics-from-ranks';
export { normalCdf } from './normal-distribution';
export { type PairedTTestResult, pairedTTest } from './paired-t-test';
export type { TieMode } from './row-ranker';
export { studentTCdf } from './student-t-distribution';
export { type WilcoxonOptions, type WilcoxonResult, wilcoxonSignedRank } from './wilcoxon-signed-rank';
