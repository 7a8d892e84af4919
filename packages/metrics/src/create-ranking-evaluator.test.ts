import { createRng, InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { computeRank } from './compute-rank';
import type { RankingEvaluatorOptions } from './create-ranking-evaluator';
import { createRankingEvaluator } from './create-ranking-evaluator';

// Synthetic batch: 3 users × 5 items, id 0 is padding and scores highest everywhere.
//   A: target 2 (0.8) is the best real item                         → rank 0
//   B: target 1 (0.4) is below id 3 (0.9) and id 4 (0.6)            → rank 2; history [3] masked → 1
//   C: target 3 (0.5) ties ids 1 and 2 → 0 + 0.5 × 2 = 1; history [1, 0] masked → 0 + 0.5 × 1 = 0.5
const numItems = 5;
const scores = new Float32Array([9, 0.1, 0.8, 0.3, 0.5, 9, 0.4, 0.2, 0.9, 0.6, 9, 0.5, 0.5, 0.5, 0.1]); // [3, 5]
const targets = new Int32Array([2, 1, 3]);
const histories = [new Int32Array([]), new Int32Array([3]), new Int32Array([1, 0])];

function evaluate(options: RankingEvaluatorOptions) {
  const evaluator = createRankingEvaluator(options);
  evaluator.addBatch({ scores, numItems, targets, histories });
  return evaluator.result();
}

describe('createRankingEvaluator', () => {
  it('computes metrics by hand without history masking', () => {
    // Ranks [0, 2, 1]. hr@1 = 1/3, hr@3 = 1.
    // ndcg@3 = (1 + 1/log2(4) + 1/log2(3))/3 = (1 + 0.5 + 0.6309298)/3 = 0.7103099
    // mrr@3 = (1 + 1/3 + 1/2)/3 = 0.6111111; ndcg@1 = mrr@1 = 1/3.
    const result = evaluate({ ks: [1, 3], excludeItems: [0] });
    expect(Array.from(result.ranks)).toEqual([0, 2, 1]);
    expect(result.count).toBe(3);
    expect(result.maskHistory).toBe(false);
    expect(result.ties).toBe('expected');
    expect(result.ks).toEqual([1, 3]);
    expect(result.metrics['hr@1']).toBeCloseTo(1 / 3, 12);
    expect(result.metrics['recall@3']).toBe(1);
    expect(result.metrics['ndcg@3']).toBeCloseTo(0.7103099, 6);
    expect(result.metrics['mrr@3']).toBeCloseTo(0.6111111, 6);
    expect(result.metrics['ndcg@1']).toBeCloseTo(1 / 3, 12);
  });

  it('computes metrics by hand with history masking, which moves B and C up', () => {
    // Ranks [0, 1, 0.5]. hr@1 = (1 + 0 + 1)/3 = 2/3 (0.5 < 1 is a hit).
    // ndcg@1 = (1 + 0 + 1/log2(2.5))/3 = (1 + 0.7564708)/3 = 0.5854903; mrr@1 = (1 + 0 + 1/1.5)/3 = 0.5555556
    // ndcg@3 = (1 + 1/log2(3) + 0.7564708)/3 = (1 + 0.6309298 + 0.7564708)/3 = 0.7958002
    // mrr@3 = (1 + 1/2 + 1/1.5)/3 = 0.7222222
    const result = evaluate({ ks: [1, 3], excludeItems: [0], maskHistory: true });
    expect(Array.from(result.ranks)).toEqual([0, 1, 0.5]);
    expect(result.maskHistory).toBe(true);
    expect(result.metrics['hr@1']).toBeCloseTo(2 / 3, 12);
    expect(result.metrics['ndcg@1']).toBeCloseTo(0.5854903, 6);
    expect(result.metrics['mrr@1']).toBeCloseTo(0.5555556, 6);
    expect(result.metrics['ndcg@3']).toBeCloseTo(0.7958002, 6);
    expect(result.metrics['mrr@3']).toBeCloseTo(0.7222222, 6);
    expect(result.targetsInHistory).toBe(0);
  });

  it('lets the padding column push every target down one place when it is not excluded', () => {
    // Padding scores 9 in every row: ranks [0, 2, 1] become [1, 3, 2]; nobody is at the top.
    const result = evaluate({ ks: [1, 3] });
    expect(Array.from(result.ranks)).toEqual([1, 3, 2]);
    expect(result.metrics['hr@1']).toBe(0);
    expect(result.metrics['hr@3']).toBeCloseTo(2 / 3, 12);
  });

  it('places ties by mode: C ranks 1 expected, 2 strict, 0 optimistic', () => {
    expect(evaluate({ excludeItems: [0], ties: 'strict' }).ranks[2]).toBe(2);
    expect(evaluate({ excludeItems: [0], ties: 'optimistic' }).ranks[2]).toBe(0);
  });

  it('gives a constant model nothing under expected and strict ties (synthetic)', () => {
    // 101 columns, padding excluded, 100 items all scoring 0: expected rank 0.5 × 99 = 49.5.
    const constant = new Float32Array(2 * 101); // [2, 101]
    const result = (ties: 'expected' | 'strict' | 'optimistic') => {
      const evaluator = createRankingEvaluator({ ks: [10], ties, excludeItems: [0] });
      evaluator.addBatch({ scores: constant, numItems: 101, targets: [1, 100] });
      return evaluator.result();
    };
    expect(Array.from(result('expected').ranks)).toEqual([49.5, 49.5]);
    expect(result('expected').metrics['hr@10']).toBe(0);
    expect(Array.from(result('strict').ranks)).toEqual([99, 99]);
    expect(result('optimistic').metrics['hr@10']).toBe(1);
  });

  it('ignores histories when maskHistory is off and counts targets found in a history', () => {
    const evaluator = createRankingEvaluator({ excludeItems: [0], maskHistory: true });
    // B's history holds its own target 1 and id 3: 1 stays a candidate, 3 is masked → rank 1.
    evaluator.addBatch({ scores, numItems, targets, histories: [[], [1, 3], [1, 0]] });
    const result = evaluator.result();
    expect(Array.from(result.ranks)).toEqual([0, 1, 0.5]);
    expect(result.targetsInHistory).toBe(1);
    expect(Array.from(evaluate({ excludeItems: [0], maskHistory: false }).ranks)).toEqual([0, 2, 1]);
  });

  it('gives the same result for batches of different sizes as for one batch (synthetic)', () => {
    const rng = createRng(5);
    const users = 37;
    const items = 50;
    // Scores on a grid of eighths, so ties are common. [37, 50]
    const allScores = Float32Array.from({ length: users * items }, () => Math.floor(rng.next() * 8) / 8);
    const allTargets = Int32Array.from({ length: users }, () => 1 + rng.nextInt(items - 1));
    const allHistories = Array.from({ length: users }, () =>
      Int32Array.from({ length: rng.nextInt(12) }, () => rng.nextInt(items)),
    );
    const options: RankingEvaluatorOptions = { ks: [1, 5, 10], excludeItems: [0], maskHistory: true };

    const whole = createRankingEvaluator(options);
    whole.addBatch({ scores: allScores, numItems: items, targets: allTargets, histories: allHistories });
    const pieces = createRankingEvaluator(options);
    let start = 0;
    for (const size of [1, 7, 13, 16]) {
      pieces.addBatch({
        scores: allScores.subarray(start * items, (start + size) * items),
        numItems: items,
        targets: allTargets.subarray(start, start + size),
        histories: allHistories.slice(start, start + size),
      });
      start += size;
    }
    expect(start).toBe(users);
    expect(Array.from(pieces.result().ranks)).toEqual(Array.from(whole.result().ranks));
    expect(pieces.result().metrics).toEqual(whole.result().metrics);
    expect(pieces.result().targetsInHistory).toBe(whole.result().targetsInHistory);

    // Each rank agrees with a direct count over the row and with computeRank.
    const ranks = whole.result().ranks;
    for (let user = 0; user < users; user++) {
      const row = allScores.subarray(user * items, (user + 1) * items);
      const target = allTargets[user] as number;
      const history = allHistories[user] as Int32Array;
      let higher = 0;
      let tied = 0;
      for (let item = 1; item < items; item++) {
        if (item === target || history.includes(item)) continue;
        if ((row[item] as number) > (row[target] as number)) higher++;
        else if (row[item] === row[target]) tied++;
      }
      expect(ranks[user]).toBe(higher + tied / 2);
      expect(computeRank(row, target, { excludeItems: [0], history })).toBe(ranks[user]);
    }
  });

  it('returns per-user values for any well-formed key', () => {
    const result = evaluate({ ks: [1, 3], excludeItems: [0] });
    // Ranks [0, 2, 1]: MRR@3 per user 1, 1/3, 1/2; HR@2 per user 1, 0, 1.
    expect(Array.from(result.perUser('mrr@3'))).toEqual([1, 1 / 3, 1 / 2]);
    expect(Array.from(result.perUser('hr@2'))).toEqual([1, 0, 1]);
    // @ts-expect-error: not a MetricKey
    expect(() => result.perUser('auc')).toThrow(InvalidArgumentError);
  });

  it('keeps results as snapshots while batches keep coming', () => {
    const evaluator = createRankingEvaluator({ excludeItems: [0] });
    evaluator.addBatch({ scores, numItems, targets });
    const first = evaluator.result();
    evaluator.addBatch({ scores, numItems, targets });
    expect(first.count).toBe(3);
    expect(evaluator.result().count).toBe(6);
    expect(Array.from(evaluator.result().ranks)).toEqual([0, 2, 1, 0, 2, 1]);
  });

  it('rejects bad options', () => {
    expect(() => createRankingEvaluator({ ks: [] })).toThrow(/ks/);
    expect(() => createRankingEvaluator({ ks: [10, 0] })).toThrow(/ks/);
    expect(() => createRankingEvaluator({ ks: [10, 10] })).toThrow(/twice/);
    // @ts-expect-error: not a TieMode
    expect(() => createRankingEvaluator({ ties: 'random' })).toThrow(/ties/);
    expect(() => createRankingEvaluator({ excludeItems: [-1] })).toThrow(/excludeItems/);
    const outOfRange = createRankingEvaluator({ excludeItems: [5] });
    expect(() => outOfRange.addBatch({ scores, numItems, targets })).toThrow(/excludeItems/);
  });

  it('rejects bad batches, naming the argument, and adds nobody from them', () => {
    const evaluator = createRankingEvaluator({ excludeItems: [0], maskHistory: true });
    const add = (overrides: Partial<Parameters<typeof evaluator.addBatch>[0]>) => () =>
      evaluator.addBatch({ scores, numItems, targets, histories, ...overrides });

    expect(add({ scores: scores.subarray(0, 14) })).toThrow(ShapeMismatchError);
    expect(add({ scores: scores.subarray(0, 14) })).toThrow(/scores.*\[3, 5\]/);
    expect(add({ numItems: 0 })).toThrow(/numItems/);
    expect(add({ numItems: 2.5 })).toThrow(/numItems/);
    expect(add({ targets: [2, 1, 5] })).toThrow(/targets.*row 2/);
    expect(add({ targets: [2, -1, 3] })).toThrow(/targets/);
    expect(add({ targets: [2, 0, 3] })).toThrow(/excludeItems/);
    expect(add({ histories: undefined })).toThrow(/histories.*maskHistory/);
    expect(add({ histories: [[], []] })).toThrow(ShapeMismatchError);
    expect(add({ histories: [[], [5], []] })).toThrow(/histories.*row 1/);
    const withNaN = scores.slice();
    withNaN[2 * numItems + 4] = Number.NaN; // row 2, a non-target item
    expect(add({ scores: withNaN })).toThrow(/row 2.*NaN/);
    const nanTarget = scores.slice();
    nanTarget[2] = Number.NaN; // row 0's target
    expect(add({ scores: nanTarget })).toThrow(/row 0.*NaN/);
    expect(() => evaluator.result()).toThrow(/no users/);

    evaluator.addBatch({ scores, numItems, targets, histories });
    expect(() =>
      evaluator.addBatch({ scores: new Float32Array(6), numItems: 6, targets: [1], histories: [[]] }),
    ).toThrow(/numItems.*first batch/);
    expect(evaluator.result().count).toBe(3);
  });
});
