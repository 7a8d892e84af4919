import { InvalidArgumentError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { metricKey, parseMetricKey, validateCutoffs } from './metric-key';

describe('metric keys', () => {
  it('round-trips name and cutoff', () => {
    expect(metricKey('ndcg', 10)).toBe('ndcg@10');
    expect(parseMetricKey('recall@20')).toEqual({ name: 'recall', k: 20 });
  });

  it('rejects upper case, missing cutoffs and leading zeros', () => {
    for (const key of ['HR@10', 'hr', 'hr@', 'hr@010', 'hr@-1', 'hr@1.5']) {
      expect(() => parseMetricKey(key)).toThrow(InvalidArgumentError);
    }
  });

  it('copies the cutoffs it validates', () => {
    const ks = [10, 5];
    const validated = validateCutoffs(ks);
    ks.push(20);
    expect(validated).toEqual([10, 5]);
  });
});
