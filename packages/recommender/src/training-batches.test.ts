import { describe, expect, it } from 'vitest';
import { makeTrainingBatches, makeTrainingWindows } from './training-batches';

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
    const padded = (strategy: 'random' | 'length-bucketed') =>
      makeTrainingBatches(windows, { batchSize: 8, seed: 3, strategy }).reduce((sum, b) => sum + b.size * b.length, 0);
    expect(padded('length-bucketed')).toBeLessThan(padded('random'));
  });

  it('is deterministic per seed', () => {
    const a = makeTrainingBatches(windows, { batchSize: 8, seed: 5 });
    const b = makeTrainingBatches(windows, { batchSize: 8, seed: 5 });
    const c = makeTrainingBatches(windows, { batchSize: 8, seed: 6 });
    expect(a.map((x) => Array.from(x.inputs))).toEqual(b.map((x) => Array.from(x.inputs)));
    expect(a.map((x) => Array.from(x.inputs))).not.toEqual(c.map((x) => Array.from(x.inputs)));
  });

  it('rejects a bad batch size', () => {
    expect(() => makeTrainingBatches(windows, { batchSize: 0, seed: 1 })).toThrow(/batchSize/);
  });
});
