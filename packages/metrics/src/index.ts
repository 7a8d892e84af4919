/**
 * @file @imecd/metrics — evaluation of next-item recommenders by full ranking over all items:
 * HR/Recall, NDCG and MRR at K from each user's target rank, with documented tie handling,
 * excluded columns (padding) and optional history masking, computed batch by batch so the
 * users × items score matrix never exists at once. Plus what result tables need: mean ± std over
 * seeds, and paired significance tests (Student's t, Wilcoxon signed-rank) between two models.
 * Plain typed arrays; no tensors.
 */
export { createRankingEvaluator } from './create-ranking-evaluator';
export type {
  RankingBatch,
  RankingEvaluator,
  RankingEvaluatorOptions,
  RankingResult,
} from './create-ranking-evaluator';
export { computeRank } from './compute-rank';
export type { ComputeRankOptions } from './compute-rank';
export type { TieMode } from './row-ranker';
export { metricsFromRanks, perUserMetric } from './metrics-from-ranks';
export { metricAtRank } from './metric-at-rank';
export { DEFAULT_CUTOFFS, METRIC_NAMES, metricKey, parseMetricKey } from './metric-key';
export type { MetricKey, MetricName } from './metric-key';
export { aggregateRuns } from './aggregate-runs';
export type { MeanStd } from './aggregate-runs';
export { formatMeanStd } from './format-mean-std';
export { pairedTTest } from './paired-t-test';
export type { PairedTTestResult } from './paired-t-test';
export { wilcoxonSignedRank } from './wilcoxon-signed-rank';
export type { WilcoxonOptions, WilcoxonResult } from './wilcoxon-signed-rank';
export { studentTCdf } from './student-t-distribution';
export { normalCdf } from './normal-distribution';
