import { describe, expect, it } from 'vitest';
import { metricAtRank } from './metric-at-rank';

describe('metricAtRank', () => {
  it('gives 1, 1/log2(rank + 2) and 1/(rank + 1) inside the cutoff and 0 outside', () => {
    // Rank 2 at K = 3: hit; NDCG 1/log2(4) = 0.5; MRR 1/3. At K = 2 it is a miss everywhere.
    expect(metricAtRank('hr', 2, 3)).toBe(1);
    expect(metricAtRank('recall', 2, 3)).toBe(1);
    expect(metricAtRank('ndcg', 2, 3)).toBe(0.5);
    expect(metricAtRank('mrr', 2, 3)).toBeCloseTo(1 / 3, 15);
    for (const name of ['hr', 'recall', 'ndcg', 'mrr'] as const) expect(metricAtRank(name, 2, 2)).toBe(0);
  });

  it('treats a fractional rank with the same formulas: a hit when rank < K', () => {
    // Rank 4.5: a hit at K = 5 but not at K = 4; NDCG 1/log2(6.5) = 0.6931472/1.8718022 = 0.3703100;
    // MRR 1/5.5 = 0.1818182. Rank exactly 5 is a miss at K = 5.
    expect(metricAtRank('hr', 4.5, 5)).toBe(1);
    expect(metricAtRank('hr', 4.5, 4)).toBe(0);
    expect(metricAtRank('ndcg', 4.5, 5)).toBeCloseTo(0.37031, 5);
    expect(metricAtRank('mrr', 4.5, 5)).toBeCloseTo(0.1818182, 6);
    expect(metricAtRank('hr', 5, 5)).toBe(0);
    expect(metricAtRank('ndcg', Number.POSITIVE_INFINITY, 10)).toBe(0);
  });
});
