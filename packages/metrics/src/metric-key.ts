import { InvalidArgumentError } from '@imecd/core';

/** The four single-target ranking metrics; `recall` equals `hr` when each user has one target. */
export type MetricName = 'hr' | 'recall' | 'ndcg' | 'mrr';

/** A metric at a cutoff, lower case: `hr@10`, `recall@10`, `ndcg@10`, `mrr@10`. */
export type MetricKey = `${MetricName}@${number}`;

/** The order keys appear in results: grouped by metric, then by cutoff as given. */
export const METRIC_NAMES: readonly MetricName[] = ['hr', 'recall', 'ndcg', 'mrr'];

/** The cutoffs used when none are given. */
export const DEFAULT_CUTOFFS: readonly number[] = [5, 10, 20];

const METRIC_KEY_PATTERN = /^(hr|recall|ndcg|mrr)@([1-9][0-9]*)$/;

export function metricKey(name: MetricName, k: number): MetricKey {
  return `${name}@${k}`;
}

/** Splits `ndcg@10` into its name and cutoff; anything else is an InvalidArgumentError. */
export function parseMetricKey(key: string, argument = 'key'): { name: MetricName; k: number } {
  const match = METRIC_KEY_PATTERN.exec(key);
  if (match === null) {
    throw new InvalidArgumentError(argument, `expected "<hr|recall|ndcg|mrr>@<positive integer>", got "${key}"`);
  }
  return { name: match[1] as MetricName, k: Number(match[2]) };
}

/** Checks a list of cutoffs once: non-empty, positive safe integers, no repeats. */
export function validateCutoffs(ks: readonly number[], argument = 'ks'): readonly number[] {
  if (!Array.isArray(ks) || ks.length === 0) {
    throw new InvalidArgumentError(argument, 'expected a non-empty array of positive integers');
  }
  const seen = new Set<number>();
  for (const k of ks) {
    if (!Number.isSafeInteger(k) || k <= 0) {
      throw new InvalidArgumentError(argument, `every cutoff must be a positive integer, got ${k}`);
    }
    if (seen.has(k)) throw new InvalidArgumentError(argument, `cutoff ${k} is listed twice`);
    seen.add(k);
  }
  return [...ks];
}
