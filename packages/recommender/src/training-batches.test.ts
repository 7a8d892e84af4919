import { describe, expect, it } from 'vitest';
import {
  BATCHING_STRATEGIES,
  type BatchingStrategy,
  DEFAULT_BATCHING,
  makeTrainingBatches,
  makeTrainingWindows,
  type TrainingBatch,
} from './training-batches';

const seq = (...items: number[]) => Int32Array.from(items);

describe('makeTrainingWindows', () => {
  it('makes one window per short sequence with every pair scored', () => {
    const [window] = makeTrainingWindows([seq(5, 6, 7, 8)], 50);
    expect(Array.from(window!.inputs)).toEqual([5, 6, 7]);
    expect(Array.from(window!.targets)).toEqual([6, 7, 8]);
  });

  it('skips sequences without a pair', () => {
    expect(makeTrainingWindows([seq(3), seq()], 50)).toEqual([]);
  });

  it('scores every pair of a long sequence exactly once with at least maxLength/2 history', () => {
    // Synthetic: items 1..23 give 22 pairs; maxLength 6 → stride 3.
    const sequence = Int32Array.from({ length: 23 }, (_, i) => i + 1);
    const windows = makeTrainingWindows([sequence], 6);
    const scored: number[] = [];
    for (const window of windows) {
      expect(window.inputs.length).toBeLessThanOrEqual(6);
      window.targets.forEach((target, p) => {
        if (target === 0) return;
        scored.push(target);
        expect(target).toBe(window.inputs[p]! + 1); // the next item
        const history = p + 1;
        const fullPrefix = target - 1;
        expect(history).toBeGreaterThanOrEqual(Math.min(3, fullPrefix));
      });
    }
    expect(scored.sort((a, b) => a - b)).toEqual(Array.from({ length: 22 }, (_, i) => i + 2));
    // The most recent window has the full maxLength of history.
    expect(Array.from(windows[0]!.inputs)).toEqual([17, 18, 19, 20, 21, 22]);
  });
});

describe('makeTrainingBatches', () => {
  const windows = makeTrainingWindows(
    Array.from({ length: 40 }, (_, u) => Int32Array.from({ length: 2 + (u % 7) }, (_, i) => 1 + ((u + i) % 30))),
    50,
  );

  it('left-pads each batch to its own longest row and counts scored targets', () => {
    const batches = makeTrainingBatches(windows, { batchSize: 8, seed: 1 });
    let rows = 0;
    let scored = 0;
    for (const batch of batches) {
      rows += batch.size;
      scored += batch.scoredCount;
      expect(batch.inputs.length).toBe(batch.size * batch.length);
      for (let r = 0; r < batch.size; r++) {
        // The last position of every row is a real item.
        expect(batch.inputs[r * batch.length + batch.length - 1]).not.toBe(0);
      }
    }
    expect(rows).toBe(windows.length);
    expect(scored).toBe(windows.reduce((sum, w) => sum + w.targets.filter((t) => t !== 0).length, 0));
  });

  it('bucketing makes batches shorter than random batching', () => {
    const padded = (strategy: BatchingStrategy) =>
      makeTrainingBatches(windows, { batchSize: 8, seed: 3, strategy }).reduce((sum, b) => sum + b.size * b.length, 0);
    expect(padded('length-bucketed')).toBeLessThan(padded('random'));
    expect(padded('position-budget')).toBeLessThan(padded('random'));
  });

  it('puts every window in exactly one batch, whatever the strategy', () => {
    for (const strategy of BATCHING_STRATEGIES) {
      const batches = makeTrainingBatches(windows, { batchSize: 8, seed: 2, strategy });
      expect(batches.reduce((sum, batch) => sum + batch.size, 0)).toBe(windows.length);
      const rows = batches.flatMap((batch) =>
        Array.from({ length: batch.size }, (_, r) =>
          Array.from(batch.inputs.subarray(r * batch.length, (r + 1) * batch.length))
            .filter((item) => item !== 0)
            .join(','),
        ),
      );
      expect(rows.sort()).toEqual(windows.map((window) => Array.from(window.inputs).join(',')).sort());
    }
  });

  it('is deterministic per seed', () => {
    const a = makeTrainingBatches(windows, { batchSize: 8, seed: 5 });
    const b = makeTrainingBatches(windows, { batchSize: 8, seed: 5 });
    const c = makeTrainingBatches(windows, { batchSize: 8, seed: 6 });
    expect(a.map((x) => Array.from(x.inputs))).toEqual(b.map((x) => Array.from(x.inputs)));
    expect(a.map((x) => Array.from(x.inputs))).not.toEqual(c.map((x) => Array.from(x.inputs)));
  });

  it('rejects a bad batch size or strategy', () => {
    expect(() => makeTrainingBatches(windows, { batchSize: 0, seed: 1 })).toThrow(/batchSize/);
    expect(() => makeTrainingBatches(windows, { seed: 1, strategy: 'sorted' as BatchingStrategy })).toThrow(
      /strategy.*length-bucketed-weighted/,
    );
  });
});

describe('position weights', () => {
  // SYNTHETIC skewed lengths, like Amazon's: most users have 3–5 items, one in six has 30–60.
  const skewed = makeTrainingWindows(
    Array.from({ length: 3000 }, (_, u) =>
      Int32Array.from({ length: u % 6 === 0 ? 30 + (u % 31) : 3 + (u % 3) }, (_, i) => 1 + ((u * 7 + i) % 97)),
    ),
    50,
  );
  /** What one scored position weighs in its step: lossWeight × (1 / the batch's scored count). */
  const positionWeights = (batches: TrainingBatch[]) =>
    batches.map((batch) => (batch.lossWeight ?? 1) / batch.scoredCount);
  const spread = (weights: number[]) => Math.max(...weights) / Math.min(...weights);

  it('the default gives every scored position of an epoch the same weight, whatever batch it lands in', () => {
    expect(DEFAULT_BATCHING).toBe('length-bucketed-weighted');
    for (const seed of [1, 2, 3]) {
      const batches = makeTrainingBatches(skewed, { batchSize: 64, seed });
      expect(spread(positionWeights(batches))).toBeCloseTo(1, 12);
      // The weights are on the epoch's scale: Σ lossWeight = batches, so the epoch's mean loss stays a per-position mean.
      expect(batches.reduce((sum, batch) => sum + batch.lossWeight!, 0)).toBeCloseTo(batches.length, 9);
    }
    expect(
      spread(positionWeights(makeTrainingBatches(skewed, { batchSize: 64, seed: 1, strategy: 'position-budget' }))),
    ).toBeCloseTo(1, 12);
  });

  it("the old length-bucketed batches weigh a short history's positions many times more (the bias the default removes)", () => {
    expect(
      spread(positionWeights(makeTrainingBatches(skewed, { batchSize: 64, seed: 1, strategy: 'length-bucketed' }))),
    ).toBeGreaterThan(5);
  });

  it('position-budget batches carry about the same positions each, with as many steps as batchSize-row batches', () => {
    const batchSize = 64;
    const budgeted = makeTrainingBatches(skewed, { batchSize, seed: 4, strategy: 'position-budget' });
    const rowBatches = makeTrainingBatches(skewed, { batchSize, seed: 4, strategy: 'length-bucketed' });
    const total = skewed.reduce((sum, window) => sum + window.targets.filter((target) => target !== 0).length, 0);
    const budget = (batchSize * total) / skewed.length;
    // Only the last batch of each sorting pool (64 batches) may fall short of half the budget.
    const pools = Math.ceil(skewed.length / (batchSize * 64));
    expect(budgeted.filter((batch) => batch.scoredCount < budget / 2).length).toBeLessThanOrEqual(pools);
    expect(Math.max(...budgeted.map((batch) => batch.scoredCount))).toBeLessThan(budget + 50); // one window at most over
    expect(Math.abs(budgeted.length - rowBatches.length)).toBeLessThanOrEqual(pools + 1);
    // Rows differ: many short histories per batch, few long ones.
    const rows = budgeted.map((batch) => batch.size);
    expect(Math.max(...rows)).toBeGreaterThan(2 * batchSize);
    expect(Math.min(...rows.filter((_, i) => budgeted[i]!.scoredCount >= budget / 2))).toBeLessThan(batchSize / 2);
  });
});
