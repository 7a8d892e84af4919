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
}

export interface BatchingOptions {
  /** Rows per batch. Default 256. */
  batchSize?: number;
  /** Seed of this epoch's order; the same seed gives the same batches. */
  seed: number;
  /**
   * 'length-bucketed' (default): windows are shuffled, then sorted by length inside pools of 64
   * batches, so each batch is padded only to its own longest row (most Amazon sequences are short:
   * this cuts the attention work several times over without changing any row's result).
   * 'random': plain shuffled batches, each still padded only to its longest row.
   */
  strategy?: 'length-bucketed' | 'random';
}

const POOL_BATCHES = 64;

/** Splits windows into one epoch of batches, in a seeded order. */
export function makeTrainingBatches(windows: readonly TrainingWindow[], options: BatchingOptions): TrainingBatch[] {
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidArgumentError('batchSize', `expected a positive integer, got ${batchSize}`);
  }
  const rng = createRng(options.seed);
  const order = rng.shuffle(Array.from(windows.keys()));
  const groups: number[][] = [];
  if ((options.strategy ?? 'length-bucketed') === 'length-bucketed') {
    const poolSize = batchSize * POOL_BATCHES;
    for (let poolStart = 0; poolStart < order.length; poolStart += poolSize) {
      const pool = order.slice(poolStart, poolStart + poolSize);
      pool.sort((a, b) => windows[a]!.inputs.length - windows[b]!.inputs.length || a - b);
      for (let i = 0; i < pool.length; i += batchSize) groups.push(pool.slice(i, i + batchSize));
    }
    rng.shuffle(groups);
  } else {
    for (let i = 0; i < order.length; i += batchSize) groups.push(order.slice(i, i + batchSize));
  }
  return groups.map((group) => packBatch(group.map((index) => windows[index]!)));
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
