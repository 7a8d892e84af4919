import { InvalidArgumentError } from '@imecd/core';

/** Mean and sample standard deviation (n − 1) of one metric over n runs. */
export interface MeanStd {
  mean: number;
  /** Sample standard deviation (divides by n − 1); 0 when n = 1. */
  std: number;
  n: number;
}

/**
 * Mean ± sample std of every metric over runs (one record per seed). Every run must have the
 * same keys; key order follows the first run.
 */
export function aggregateRuns(runs: readonly Readonly<Record<string, number>>[]): Record<string, MeanStd> {
  const first = runs[0];
  if (first === undefined) throw new InvalidArgumentError('runs', 'expected at least one run');
  const keys = Object.keys(first);
  const expectedKeys = [...keys].sort().join(', ');
  runs.forEach((run, index) => {
    const runKeys = Object.keys(run).sort().join(', ');
    if (runKeys !== expectedKeys) {
      throw new InvalidArgumentError('runs', `run ${index} has keys [${runKeys}] but run 0 has [${expectedKeys}]`);
    }
  });

  const aggregated: Record<string, MeanStd> = {};
  const n = runs.length;
  for (const key of keys) {
    const values = runs.map((run, index) => {
      const value = run[key];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InvalidArgumentError('runs', `run ${index}: "${key}" is not a finite number (${String(value)})`);
      }
      return value;
    });
    const mean = values.reduce((sum, value) => sum + value, 0) / n;
    const squaredDeviations = values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
    aggregated[key] = { mean, std: n === 1 ? 0 : Math.sqrt(squaredDeviations / (n - 1)), n };
  }
  return aggregated;
}
