import { InvalidArgumentError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { codebookStatistics } from './codebook-statistics';

describe('codebookStatistics', () => {
  it('gives K for a uniform spread and 1 for a collapse', () => {
    expect(codebookStatistics([5, 5, 5, 5])).toEqual({ perplexity: expect.closeTo(4, 10), usage: 1 });
    expect(codebookStatistics([0, 12, 0, 0])).toEqual({ perplexity: 1, usage: 0.25 });
  });

  it('matches a hand-computed entropy for an uneven spread', () => {
    // Shares (½, ¼, ¼, 0): entropy 1.5 ln 2, perplexity 2^1.5; three of four codes used.
    const { perplexity, usage } = codebookStatistics([2, 1, 1, 0]);
    expect(perplexity).toBeCloseTo(2 ** 1.5, 12);
    expect(usage).toBe(0.75);
    expect(codebookStatistics([1, 0.5, 0.5, 0]).perplexity).toBeCloseTo(2 ** 1.5, 12); // weights need not be whole
  });

  it('gives zeros for an empty batch and rejects bad counts', () => {
    expect(codebookStatistics([0, 0])).toEqual({ perplexity: 0, usage: 0 });
    expect(() => codebookStatistics([])).toThrow(InvalidArgumentError);
    expect(() => codebookStatistics([1, -1])).toThrow(/non-negative/);
    expect(() => codebookStatistics([1, Number.NaN])).toThrow(/non-negative/);
  });
});
