/** Median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `count` per `seconds`; null when there is nothing to divide by. */
export function perSecond(count: number, seconds: number | null): number | null {
  return seconds === null || !(seconds > 0) ? null : count / seconds;
}

/** ours / theirs for throughputs (above 1: ours is faster); null when either side is missing. */
export function ratio(ours: number | null, theirs: number | null): number | null {
  return ours === null || theirs === null || !(theirs > 0) ? null : ours / theirs;
}

/** Rounds to `digits` significant digits, keeping null (for compact JSON and tables). */
export function round(value: number | null, digits = 3): number | null {
  if (value === null || !Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

/** One batch of a stratified epoch sample: its index in the epoch and how many batches it stands for. */
export interface SampledBatch {
  index: number;
  weight: number;
}

/**
 * A stratified sample of `count` batches of an epoch by cost (rows × positions): the batches
 * sorted by cost are cut into `count` runs of near-equal length and each run's middle batch
 * stands for the whole run. Epochs of length-bucketed batches are mostly short batches with a
 * few long ones; a plain every-k-th sample would often miss or double the long ones.
 * With `count` ≥ the number of batches every batch is its own stratum (weight 1).
 */
export function stratifiedSample(costs: readonly number[], count: number): SampledBatch[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`sample size must be a positive integer, got ${count}`);
  const order = costs.map((cost, index) => ({ cost, index })).sort((a, b) => a.cost - b.cost || a.index - b.index);
  const strata = Math.min(count, order.length);
  const sample: SampledBatch[] = [];
  for (let stratum = 0; stratum < strata; stratum++) {
    const start = Math.floor((stratum * order.length) / strata);
    const end = Math.floor(((stratum + 1) * order.length) / strata);
    sample.push({ index: order[Math.floor((start + end - 1) / 2)]!.index, weight: end - start });
  }
  return sample;
}

/** Σ weight · seconds: the epoch's estimated (or, with weights of 1, measured) training time. */
export function epochSeconds(stepSeconds: readonly number[], weights: readonly number[]): number {
  if (stepSeconds.length !== weights.length)
    throw new Error(`${stepSeconds.length} step times for ${weights.length} weights`);
  return stepSeconds.reduce((sum, seconds, index) => sum + seconds * weights[index]!, 0);
}
