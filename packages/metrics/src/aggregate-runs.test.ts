import { InvalidArgumentError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { aggregateRuns } from './aggregate-runs';

describe('aggregateRuns', () => {
  it('gives the mean and sample std of each metric over seeds', () => {
    // hr@10: 0.1, 0.2, 0.3 → mean 0.2, deviations ±0.1 and 0 → std √(0.02/2) = 0.1.
    // ndcg@10: 0.05, 0.07, 0.06 → mean 0.06, deviations ∓0.01 and 0 → std √(0.0002/2) = 0.01.
    const aggregated = aggregateRuns([
      { 'hr@10': 0.1, 'ndcg@10': 0.05 },
      { 'hr@10': 0.2, 'ndcg@10': 0.07 },
      { 'ndcg@10': 0.06, 'hr@10': 0.3 },
    ]);
    expect(Object.keys(aggregated)).toEqual(['hr@10', 'ndcg@10']);
    expect(aggregated['hr@10']?.mean).toBeCloseTo(0.2, 14);
    expect(aggregated['hr@10']?.std).toBeCloseTo(0.1, 14);
    expect(aggregated['hr@10']?.n).toBe(3);
    expect(aggregated['ndcg@10']?.mean).toBeCloseTo(0.06, 14);
    expect(aggregated['ndcg@10']?.std).toBeCloseTo(0.01, 14);
  });

  it('gives std 0 for a single run', () => {
    expect(aggregateRuns([{ 'mrr@5': 0.4 }])).toEqual({ 'mrr@5': { mean: 0.4, std: 0, n: 1 } });
  });

  it('throws when runs disagree on keys, are empty or hold a non-number', () => {
    expect(() => aggregateRuns([{ 'hr@10': 0.1 }, { 'hr@20': 0.2 }])).toThrow(/run 1/);
    expect(() => aggregateRuns([{ 'hr@10': 0.1 }, { 'hr@10': 0.2, 'hr@20': 0.3 }])).toThrow(InvalidArgumentError);
    expect(() => aggregateRuns([])).toThrow(/at least one run/);
    expect(() => aggregateRuns([{ 'hr@10': Number.NaN }])).toThrow(/hr@10/);
  });
});
