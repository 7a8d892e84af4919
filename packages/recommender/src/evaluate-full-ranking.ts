import * as tf from '@tensorflow/tfjs-core';
import { padHistories } from '@imecd/data-amazon';
import { createRankingEvaluator, type RankingResult, type TieMode } from '@imecd/metrics';
import type { RecommenderModel } from './model-contract';

/** Who to evaluate: one history (oldest first) and one target per user. */
export interface EvaluationSet {
  histories: readonly Int32Array[];
  targets: Int32Array;
}

export interface EvaluateOptions {
  /** Cut-offs. Default [5, 10, 20]. */
  ks?: number[];
  /** Users scored per forward pass: bounds memory at batchSize × (numItems + 1) floats. Default 256. */
  batchSize?: number;
  /** Tie rule, see @imecd/metrics. Default 'expected'. */
  ties?: TieMode;
  /** Remove each user's history items from the ranking. Default false (the field's protocol). */
  maskHistory?: boolean;
}

/**
 * Full ranking over all items: every user's target is ranked against all numItems items (the
 * padding column excluded), batch by batch, so users × items is never held at once.
 */
export function evaluateFullRanking(
  model: RecommenderModel,
  set: EvaluationSet,
  options: EvaluateOptions = {},
): RankingResult {
  const { ks = [5, 10, 20], batchSize = 256, ties = 'expected', maskHistory = false } = options;
  const evaluator = createRankingEvaluator({ ks, ties, excludeItems: [0], maskHistory });
  for (let start = 0; start < set.targets.length; start += batchSize) {
    const histories = set.histories.slice(start, start + batchSize);
    const targets = set.targets.subarray(start, start + histories.length);
    // Pad only to the longest history of this batch: left padding keeps the result unchanged.
    const length = Math.max(1, Math.min(model.maxLength, Math.max(...histories.map((h) => h.length))));
    const padded = padHistories(histories, length);
    const scores = tf.tidy(() => model.scoreAll(padded, histories.length, length));
    const values = scores.dataSync() as Float32Array;
    scores.dispose();
    evaluator.addBatch({
      scores: values,
      numItems: model.numItems + 1,
      targets,
      ...(maskHistory ? { histories: histories as Int32Array[] } : {}),
    });
  }
  return evaluator.result();
}
