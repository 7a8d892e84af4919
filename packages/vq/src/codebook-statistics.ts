import { InvalidArgumentError } from '@imecd/core';

/** How evenly a batch spreads over a codebook. */
export interface CodebookStatistics {
  /**
   * exp(H(p)), with p the share of vectors on each code and H its entropy in nats: 1 when every
   * vector picks the same code, K when all K codes are picked equally often. 0 for an empty batch.
   */
  perplexity: number;
  /** Fraction of the K codes picked by at least one vector, in [0, 1]. */
  usage: number;
}

/** Statistics of one codebook from how many (weighted) vectors picked each code. */
export function codebookStatistics(counts: ArrayLike<number>): CodebookStatistics {
  if (counts.length === 0) throw new InvalidArgumentError('counts', 'expected at least one code');
  let total = 0;
  let used = 0;
  for (let code = 0; code < counts.length; code++) {
    const count = counts[code] ?? 0;
    if (!(count >= 0))
      throw new InvalidArgumentError('counts', `expected non-negative counts, got ${count} at code ${code}`);
    total += count;
    if (count > 0) used++;
  }
  if (total === 0) return { perplexity: 0, usage: 0 };
  let entropy = 0;
  for (let code = 0; code < counts.length; code++) {
    const share = (counts[code] ?? 0) / total;
    if (share > 0) entropy -= share * Math.log(share); // 0·log 0 = 0
  }
  return { perplexity: Math.exp(entropy), usage: used / counts.length };
}
