import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTrainingBatches } from '@imecd/recommender';
import { describe, expect, it } from 'vitest';
import { writeManifest } from './manifest';
import { epochCase, evalCase, fewerThreads, fullSizeBatches, stepCase, windowsOf } from './plan';

// SYNTHETIC sequences: user u has 3 + (u % 60) items, so window lengths vary from 2 to 50.
const sequences = Array.from({ length: 900 }, (_, user) =>
  Int32Array.from({ length: 3 + (user % 60) }, (_, step) => ((user + step) % 97) + 1),
);
const windows = windowsOf(sequences, 50);

describe('plan', () => {
  it('picks full-size batches, longest first', () => {
    const batches = fullSizeBatches(windows, 5);
    expect(batches).toHaveLength(5);
    expect(batches.every((batch) => batch.size === 256)).toBe(true);
    expect(batches[0]!.length).toBe(50);
    for (let index = 1; index < batches.length; index++)
      expect(batches[index]!.length).toBeLessThanOrEqual(batches[index - 1]!.length);
  });

  it('builds a step case of warm-up plus timed steps', () => {
    const entry = stepCase('sasrec-step', 'sasrec', 'toys', windows, 2, 3);
    expect(entry.batches).toHaveLength(5);
    expect(entry.weights).toEqual([1, 1, 1]);
  });

  it('samples an epoch whose weights add up to its batch count, or measures all of it', () => {
    const sampled = epochCase('sasrec-epoch', 'sasrec', 'toys', windows, 2);
    const epochBatches = makeTrainingBatches(windows, { seed: 1 }).length;
    expect(sampled.epoch).toEqual({ batches: epochBatches, extrapolated: true });
    expect(sampled.batches).toHaveLength(1 + 2);
    expect(sampled.weights.reduce((a, b) => a + b, 0)).toBe(epochBatches);
    const whole = epochCase('sasrec-epoch', 'sasrec', 'toys', windows, Infinity);
    expect(whole.epoch).toEqual({ batches: epochBatches, extrapolated: false });
    expect(whole.batches.slice(1).reduce((sum, batch) => sum + batch.scoredCount, 0)).toBe(
      windows.reduce((sum, w) => sum + w.targets.filter((t) => t !== 0).length, 0),
    );
  });

  it("times the trainer's default batching, or the strategy it is given", () => {
    const unbiased = epochCase('sasrec-epoch', 'sasrec', 'toys', windows, Infinity);
    expect(unbiased.batches.slice(1).every((batch) => batch.lossWeight !== undefined)).toBe(true);
    const old = epochCase('sasrec-epoch-bucketed', 'sasrec', 'toys', windows, Infinity, 'length-bucketed');
    expect(old.epoch!.batches).toBe(Math.ceil(windows.length / 256));
    expect(old.batches.slice(1).every((batch) => batch.lossWeight === undefined && batch.size <= 256)).toBe(true);
  });

  it('batches evaluation users shortest history first, padded to each batch’s longest', () => {
    const set = {
      histories: sequences.map((sequence) => sequence.slice(0, -1)),
      targets: Int32Array.from(sequences, (sequence) => sequence.at(-1)!),
    };
    const entry = evalCase('sasrec-eval', set, 50, 1, 'sasrec-epoch');
    expect(entry.batches.reduce((sum, batch) => sum + batch.size, 0)).toBe(900);
    expect(entry.batches[0]!.length).toBeLessThan(entry.batches.at(-1)!.length);
    expect(entry.batches.at(-1)!.length).toBe(50);
    expect(entry.batches[0]!.histories).toHaveLength(entry.batches[0]!.size * entry.batches[0]!.length);
  });
});

describe('writeManifest', () => {
  it('writes every batch and feature matrix where its offsets say', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'imecd-bench-test-'));
    try {
      const entry = stepCase('imecd-step-scientific', 'imecd', 'scientific', windows, 1, 1);
      const features = [
        {
          modality: 'text',
          dim: 2,
          values: Float32Array.from([0, 0, 1.5, -2]),
          mask: Uint8Array.from([0, 1]),
          source: 'synthetic',
        },
      ];
      const path = await writeManifest(folder, {
        threads: 3,
        cases: [entry],
        configs: { 'imecd-step-scientific': { hiddenSize: 64 } },
        features: { scientific: features },
      });
      const manifest = JSON.parse(await readFile(path, 'utf8'));
      const ints = new Int32Array((await readFile(join(folder, manifest.intFile))).buffer.slice(0));
      const floats = new Float32Array((await readFile(join(folder, manifest.floatFile))).buffer.slice(0));
      expect(manifest).toMatchObject({
        version: 1,
        threads: 3,
        cases: [{ id: 'imecd-step-scientific', kind: 'train', warmup: 1, config: { hiddenSize: 64 } }],
      });
      manifest.cases[0].batches.forEach(
        (written: { size: number; length: number; inputs: number; targets: number }, index: number) => {
          const batch = entry.batches[index]!;
          expect([written.size, written.length]).toEqual([batch.size, batch.length]);
          expect(ints.subarray(written.inputs, written.inputs + batch.inputs.length)).toEqual(batch.inputs);
          expect(ints.subarray(written.targets, written.targets + batch.targets.length)).toEqual(batch.targets);
        },
      );
      const [text] = manifest.features.scientific;
      expect(text).toMatchObject({ modality: 'text', rows: 2, dim: 2 });
      expect(Array.from(floats.subarray(text.values, text.values + 4))).toEqual([0, 0, 1.5, -2]);
      expect(Array.from(floats.subarray(text.mask, text.mask + 2))).toEqual([0, 1]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('fewerThreads', () => {
  it('halves down to one thread, and has nothing below one', () => {
    expect(fewerThreads(8)).toEqual([4, 2, 1]);
    expect(fewerThreads(6)).toEqual([3, 1]);
    expect(fewerThreads(2)).toEqual([1]);
    expect(fewerThreads(1)).toEqual([]);
  });
});
