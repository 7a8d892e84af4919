import { padHistories } from '@imecd/core';
import { createRankingEvaluator, type RankingResult, type TieMode } from '@imecd/metrics';
import * as tf from '@tensorflow/tfjs-core';
import type { ItemScorer, RecommenderModel } from './model-contract';

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
  // Users go through the model shortest history first, so each batch is padded only to its own
  // longest history (left padding leaves every score unchanged): most Amazon histories are short.
  const order = Array.from(set.targets.keys()).sort(
    (a, b) => set.histories[a]!.length - set.histories[b]!.length || a - b,
  );
  const scorer = model.createScorer?.();
  try {
    scoreInBatches(scorer ?? model, model, set, order, batchSize, ({ histories, ...batch }) =>
      evaluator.addBatch({ ...batch, ...(maskHistory ? { histories } : {}) }),
    );
  } finally {
    scorer?.dispose();
  }
  return inInputOrder(evaluator.result(), order);
}

/** Scores users in `order`, batchSize at a time, each batch padded to its own longest history. */
function scoreInBatches(
  scorer: Pick<ItemScorer, 'scoreAll'>,
  model: RecommenderModel,
  set: EvaluationSet,
  order: readonly number[],
  batchSize: number,
  addBatch: (batch: { scores: Float32Array; numItems: number; targets: Int32Array; histories: Int32Array[] }) => void,
): void {
  for (let start = 0; start < order.length; start += batchSize) {
    const users = order.slice(start, start + batchSize);
    const histories = users.map((user) => set.histories[user]!);
    const targets = Int32Array.from(users, (user) => set.targets[user]!);
    const length = Math.max(1, Math.min(model.maxLength, Math.max(...histories.map((h) => h.length))));
    const padded = padHistories(histories, length);
    const scores = tf.tidy(() => scorer.scoreAll(padded, histories.length, length));
    const values = scores.dataSync() as Float32Array;
    scores.dispose();
    addBatch({ scores: values, numItems: model.numItems + 1, targets, histories });
  }
}

/** The evaluator saw users in `order`; give per-user values back in the caller's order. */
function inInputOrder(result: RankingResult, order: readonly number[]): RankingResult {
  const reorder = (values: Float64Array) => {
    const original = new Float64Array(values.length);
    order.forEach((user, position) => {
      original[user] = values[position]!;
    });
    return original;
  };
  return { ...result, ranks: reorder(result.ranks), perUser: (key) => reorder(result.perUser(key)) };
}
