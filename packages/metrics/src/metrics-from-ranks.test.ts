import { createRng, InvalidArgumentError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { metricsFromRanks, perUserMetric } from './metrics-from-ranks';

describe('metricsFromRanks', () => {
  it('averages HR, Recall, NDCG and MRR computed by hand', () => {
    // Ranks 0, 3, 9, 25 at K = 1, 5, 10:
    //   rank 0:  hit everywhere, NDCG 1/log2(2) = 1, MRR 1/1 = 1
    //   rank 3:  hit at 5 and 10, NDCG 1/log2(5) = 0.4306766, MRR 1/4 = 0.25
    //   rank 9:  hit at 10 only (9 < 10), NDCG 1/log2(11) = 0.2890648, MRR 1/10 = 0.1
    //   rank 25: never a hit
    // hr@1 = 1/4, hr@5 = 2/4, hr@10 = 3/4
    // ndcg@1 = 1/4, ndcg@5 = (1 + 0.4306766)/4 = 0.3576692, ndcg@10 = (1.4306766 + 0.2890648)/4 = 0.4299354
    // mrr@1 = 1/4, mrr@5 = (1 + 0.25)/4 = 0.3125, mrr@10 = (1.25 + 0.1)/4 = 0.3375
    const metrics = metricsFromRanks([0, 3, 9, 25], [1, 5, 10]);
    expect(Object.keys(metrics)).toEqual([
      'hr@1',
      'hr@5',
      'hr@10',
      'recall@1',
      'recall@5',
      'recall@10',
      'ndcg@1',
      'ndcg@5',
      'ndcg@10',
      'mrr@1',
      'mrr@5',
      'mrr@10',
    ]);
    expect(metrics['hr@1']).toBeCloseTo(0.25, 12);
    expect(metrics['hr@5']).toBeCloseTo(0.5, 12);
    expect(metrics['hr@10']).toBeCloseTo(0.75, 12);
    expect(metrics['recall@10']).toBe(metrics['hr@10']);
    expect(metrics['ndcg@1']).toBeCloseTo(0.25, 12);
    expect(metrics['ndcg@5']).toBeCloseTo(0.3576692, 6);
    expect(metrics['ndcg@10']).toBeCloseTo(0.4299354, 6);
    expect(metrics['mrr@1']).toBeCloseTo(0.25, 12);
    expect(metrics['mrr@5']).toBeCloseTo(0.3125, 12);
    expect(metrics['mrr@10']).toBeCloseTo(0.3375, 12);
  });

  it('uses [5, 10, 20] by default', () => {
    expect(Object.keys(metricsFromRanks([0]))).toEqual([
      'hr@5',
      'hr@10',
      'hr@20',
      'recall@5',
      'recall@10',
      'recall@20',
      'ndcg@5',
      'ndcg@10',
      'ndcg@20',
      'mrr@5',
      'mrr@10',
      'mrr@20',
    ]);
  });

  it('keeps HR >= NDCG >= MRR and every metric non-decreasing in K (synthetic ranks)', () => {
    const rng = createRng(11);
    const ranks = Array.from({ length: 300 }, () => Math.floor(rng.next() * 120) / 2); // halves, as ties make
    const ks = Array.from({ length: 60 }, (_, index) => index + 1);
    const metrics = metricsFromRanks(ranks, ks);
    for (const k of ks) {
      const hr = metrics[`hr@${k}`] as number;
      const ndcg = metrics[`ndcg@${k}`] as number;
      const mrr = metrics[`mrr@${k}`] as number;
      expect(hr).toBeGreaterThanOrEqual(ndcg);
      expect(ndcg).toBeGreaterThanOrEqual(mrr);
      if (k > 1) {
        expect(hr).toBeGreaterThanOrEqual(metrics[`hr@${k - 1}`] as number);
        expect(ndcg).toBeGreaterThanOrEqual(metrics[`ndcg@${k - 1}`] as number);
        expect(mrr).toBeGreaterThanOrEqual(metrics[`mrr@${k - 1}`] as number);
      }
    }
    expect(metrics['hr@60']).toBe(1); // every rank is below 60
  });

  it('gives per-user values whose mean is the metric', () => {
    const ranks = [0, 3, 9, 25];
    const values = perUserMetric(ranks, 'mrr@5');
    expect(Array.from(values)).toEqual([1, 0.25, 0, 0]);
    expect(values.reduce((sum, value) => sum + value, 0) / 4).toBeCloseTo(
      metricsFromRanks(ranks, [5])['mrr@5'] as number,
      12,
    );
  });

  it('rejects bad cutoffs, ranks and keys', () => {
    expect(() => metricsFromRanks([0], [])).toThrow(InvalidArgumentError);
    expect(() => metricsFromRanks([0], [0])).toThrow(/positive integer/);
    expect(() => metricsFromRanks([0], [2.5])).toThrow(/positive integer/);
    expect(() => metricsFromRanks([0], [5, 5])).toThrow(/twice/);
    expect(() => metricsFromRanks([], [5])).toThrow(/at least one user/);
    expect(() => metricsFromRanks([0, Number.NaN], [5])).toThrow(/user 1/);
    expect(() => metricsFromRanks([-1], [5])).toThrow(InvalidArgumentError);
    // @ts-expect-error: not a MetricKey
    expect(() => perUserMetric([0], 'precision@5')).toThrow(/hr\|recall\|ndcg\|mrr/);
    expect(() => perUserMetric([0], 'hr@0')).toThrow(InvalidArgumentError);
  });
});
