import { createRng, InvalidArgumentError } from '@imecd/core';

/**
 * One causal training window: `inputs[p]` predicts `targets[p]`. A target of 0 is not scored
 * (0 is the padding id and never a real item).
 */
export interface TrainingWindow {
  inputs: Int32Array;
  targets: Int32Array;
}

/**
 * Turns each user's training sequence (the items before the validation target) into causal
 * windows so that every (prefix → next item) pair is scored exactly once per epoch in one pass.
 *
 * A sequence with at most maxLength + 1 items is one window. A longer one is cut from the end
 * into windows of maxLength inputs that overlap by half: each window scores only the targets
 * that no later window scores, so every target sees at least maxLength / 2 items of history
 * (all of it near the start), instead of RecBole's min(prefix, maxLength). Sequences with fewer
 * than 2 items give no pair.
 */
export function makeTrainingWindows(sequences: readonly Int32Array[], maxLength: number): TrainingWindow[] {
  if (!Number.isInteger(maxLength) || maxLength < 2) {
    throw new InvalidArgumentError('maxLength', `expected an integer >= 2, got ${maxLength}`);
  }
  const stride = Math.max(1, Math.floor(maxLength / 2));
  const windows: TrainingWindow[] = [];
  for (const sequence of sequences) {
    const pairs = sequence.length - 1; // pair t: sequence[t] → sequence[t + 1]
    if (pairs < 1) continue;
    let end = pairs; // pairs [start, end) are inputs of this window
    let scoredFrom = 0; // index (within all pairs) of the first pair this window scores
    while (end > 0) {
      const start = Math.max(0, end - maxLength);
      scoredFrom = start === 0 ? 0 : Math.max(start, end - stride);
      const inputs = sequence.slice(start, end);
      const targets = sequence.slice(start + 1, end + 1);
      targets.fill(0, 0, scoredFrom - start);
      windows.push({ inputs, targets });
      end = scoredFrom;
    }
  }
  return windows;
}

/** A left-padded batch: the most recent item sits at position length - 1. */
export interface TrainingBatch {
  size: number;
  /** Positions per row; at most maxLength. */
  length: number;
  /** [size, length] item ids, 0 = padding. */
  inputs: Int32Array;
  /** [size, length] next-item targets, 0 = not scored. */
  targets: Int32Array;
  /** Number of nonzero targets. */
  scoredCount: number;
  /**
   * What the trainer multiplies the model's mean loss by in this batch's step. The unbiased
   * strategies set it to scoredCount / (the epoch's mean scored targets per batch), so the step
   * follows the *sum* over the batch's positions on the epoch's common scale and every scored
   * position of the epoch weighs the same, whatever batch it lands in. Absent means 1 (the
   * batch's plain mean).
   */
  lossWeight?: number;
}

/**
 * How an epoch's windows become batches (rows are always left-padded to their batch's longest).
 * - 'length-bucketed-weighted' (default): windows are shuffled, sorted by length inside pools of
 *   64 batches and cut into batches of batchSize rows (little padding: most Amazon histories are
 *   short), with `lossWeight` set so every scored position weighs the same across the epoch.
 * - 'position-budget': sorted in pools as above, but cut so each batch holds about batchSize ×
 *   (mean scored targets per window) scored targets — batchSize is the mean rows per batch, so an
 *   epoch has as many steps. Batches of short histories get many rows, batches of long ones few
 *   (10–715 rows on toys): every step carries about the same work (3% faster than the default on
 *   toys), weighted the same way. Models with terms computed across a batch's rows (IMECD's
 *   in-batch contrastive loss, its codebooks' k-means start on the first batch) see that row count vary.
 * - 'length-bucketed': batchSize rows each, bucketed as above, each batch's plain mean loss. Biased:
 *   a batch of short histories holds few positions, so each of them weighs many times more than a
 *   position in a batch of long ones (measured on toys: 15–20% lower test metrics). Kept to
 *   reproduce runs made before the unbiased default.
 * - 'random': plain shuffled batches of batchSize rows, each batch's plain mean loss (the field's
 *   reference; padded to the batch's longest row, which costs ~2.7× the padded cells of bucketing
 *   on toys).
 */
export type BatchingStrategy = (typeof BATCHING_STRATEGIES)[number];

/** Every strategy, the default first. */
export const BATCHING_STRATEGIES = [
  'length-bucketed-weighted',
  'position-budget',
  'length-bucketed',
  'random',
] as const;

export const DEFAULT_BATCHING: BatchingStrategy = 'length-bucketed-weighted';

export interface BatchingOptions {
  /** Rows per batch (for 'position-budget': the mean rows per batch). Default 256. */
  batchSize?: number;
  /** Seed of this epoch's order; the same seed gives the same batches. */
  seed: number;
  /** How windows are grouped and weighted, see {@link BatchingStrategy}. Default 'length-bucketed-weighted'. */
  strategy?: BatchingStrategy;
}

/** Batches per sorting pool: large enough that most batches are padded little, small enough to keep the epoch's order random. */
const POOL_BATCHES = 64;

/** Splits windows into one epoch of batches, in a seeded order. */
export function makeTrainingBatches(windows: readonly TrainingWindow[], options: BatchingOptions): TrainingBatch[] {
  const batchSize = options.batchSize ?? 256;
  const strategy = options.strategy ?? DEFAULT_BATCHING;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidArgumentError('batchSize', `expected a positive integer, got ${batchSize}`);
  }
  if (!BATCHING_STRATEGIES.includes(strategy)) {
    throw new InvalidArgumentError(
      'strategy',
      `expected one of ${BATCHING_STRATEGIES.join(', ')}, got ${JSON.stringify(strategy)}`,
    );
  }
  const scored = windows.map(scoredTargets);
  const rng = createRng(options.seed);
  const order = rng.shuffle(Array.from(windows.keys()));
  const groups: number[][] = [];
  if (strategy === 'random') {
    groups.push(...cutByRows(order, batchSize));
  } else {
    const poolSize = batchSize * POOL_BATCHES;
    // Mean scored targets of batchSize windows: the position budget of one batch.
    const budget = (batchSize * scored.reduce((a, b) => a + b, 0)) / Math.max(1, windows.length);
    for (let poolStart = 0; poolStart < order.length; poolStart += poolSize) {
      const pool = order.slice(poolStart, poolStart + poolSize);
      pool.sort((a, b) => windows[a]!.inputs.length - windows[b]!.inputs.length || a - b);
      groups.push(...(strategy === 'position-budget' ? cutByBudget(pool, scored, budget) : cutByRows(pool, batchSize)));
    }
    rng.shuffle(groups);
  }
  const batches = groups.map((group) => packBatch(group.map((index) => windows[index]!)));
  if (strategy === 'position-budget' || strategy === 'length-bucketed-weighted') {
    const meanScored = batches.reduce((sum, batch) => sum + batch.scoredCount, 0) / batches.length;
    for (const batch of batches) batch.lossWeight = batch.scoredCount / meanScored;
  }
  return batches;
}

const scoredTargets = (window: TrainingWindow): number =>
  window.targets.reduce((count, target) => count + (target !== 0 ? 1 : 0), 0);

function cutByRows(pool: readonly number[], rows: number): number[][] {
  const groups: number[][] = [];
  for (let i = 0; i < pool.length; i += rows) groups.push(pool.slice(i, i + rows));
  return groups;
}

/**
 * Cuts a length-sorted pool into runs of windows whose scored targets reach `budget`: a batch
 * closes at the first window that brings it to the budget, or earlier when that window would
 * overshoot the budget by more than the batch falls short without it.
 */
function cutByBudget(pool: readonly number[], scored: readonly number[], budget: number): number[][] {
  const groups: number[][] = [];
  let group: number[] = [];
  let count = 0;
  for (const index of pool) {
    const next = scored[index]!;
    if (group.length > 0 && count + next - budget > budget - count) {
      groups.push(group);
      group = [];
      count = 0;
    }
    group.push(index);
    count += next;
    if (count >= budget) {
      groups.push(group);
      group = [];
      count = 0;
    }
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

function packBatch(rows: readonly TrainingWindow[]): TrainingBatch {
  const length = Math.max(...rows.map((row) => row.inputs.length));
  const inputs = new Int32Array(rows.length * length);
  const targets = new Int32Array(rows.length * length);
  let scoredCount = 0;
  rows.forEach((row, r) => {
    const offset = r * length + (length - row.inputs.length); // left padding
    inputs.set(row.inputs, offset);
    targets.set(row.targets, offset);
    for (const target of row.targets) if (target !== 0) scoredCount++;
  });
  return { size: rows.length, length, inputs, targets, scoredCount };
}
