import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ImecdError } from '@imecd/core';
import { loadDataset } from '@imecd/data-amazon';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createCountingTestTextEncoder,
  removeTemporaryFolders,
  temporaryFolder,
  writeSyntheticDataset,
} from '../../test/synthetic-dataset';
import { encodeTextFeatures } from '../text/encode-text-features';
import type { FeatureProgressEvent } from './progress-events';
import { writeFeatureFiles } from './write-feature-files';

afterAll(removeTemporaryFolders);

describe('writeFeatureFiles through encodeTextFeatures', () => {
  it('writes values, mask and manifest that data-amazon loads, with the text-less item missing', async () => {
    const { dir, dataset } = await writeSyntheticDataset(10);
    const encoder = createCountingTestTextEncoder();
    const events: FeatureProgressEvent[] = [];
    const result = await encodeTextFeatures({
      dataset,
      encoder,
      dir,
      chunkSize: 4,
      onProgress: (event) => events.push(event),
    });
    expect(result).toMatchObject({ encodedNow: 10, resumedFrom: 0 });
    expect(result.manifest).toMatchObject({
      itemCount: 10,
      dim: 4,
      missingCount: 1,
      modelName: 'test/counting-text-encoder',
      pooling: 'none',
    });
    expect(events.map((event) => event.type)).toEqual(['start', 'chunk', 'chunk', 'chunk', 'done']);
    expect(events[3]).toMatchObject({ type: 'chunk', done: 10, itemCount: 10, missing: 1 });
    expect([...(await readFile(join(dir, 'text.mask')))]).toEqual([1, 1, 0, 1, 1, 1, 1, 1, 1, 1]);
    expect(existsSync(join(dir, 'text.progress.json'))).toBe(false);

    const loaded = await loadDataset(dir, { kCore: 0 });
    const text = loaded.features.text!;
    expect(text.dim).toBe(4);
    expect(Array.from(text.mask)).toEqual([0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1]);
    // Item 7's title "synthetic item 7 toy car." (as cleaned): 25 characters, 6 vowels, marker 7.
    expect(Array.from(text.values.subarray(7 * 4, 8 * 4))).toEqual([25, 6, 1, 7]);
    expect(Array.from(text.values.subarray(3 * 4, 4 * 4))).toEqual([0, 0, 0, 0]);
  });

  it('resumes after an abort mid-run: encodes only the rest and ends with the same bytes', async () => {
    const { dir, dataset } = await writeSyntheticDataset(10);
    const reference = await temporaryFolder();
    await encodeTextFeatures({ dataset, encoder: createCountingTestTextEncoder(), dir: reference, chunkSize: 3 });

    const controller = new AbortController();
    const first = createCountingTestTextEncoder();
    const run = encodeTextFeatures({
      dataset,
      encoder: first,
      dir,
      chunkSize: 3,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.type === 'chunk' && event.done === 6) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(first.calls.flat()).toHaveLength(5); // items 1..6 minus the text-less item 3
    expect(existsSync(join(dir, 'text.manifest.json'))).toBe(false);
    expect(JSON.parse(await readFile(join(dir, 'text.progress.json'), 'utf8'))).toMatchObject({ done: 6 });

    const second = createCountingTestTextEncoder();
    const events: FeatureProgressEvent[] = [];
    const result = await encodeTextFeatures({
      dataset,
      encoder: second,
      dir,
      chunkSize: 3,
      onProgress: (event) => events.push(event),
    });
    expect(result).toMatchObject({ resumedFrom: 6, encodedNow: 4 });
    expect(events[0]).toMatchObject({ type: 'start', resumedFrom: 6 });
    expect(second.calls.flat()).toEqual([
      'synthetic item 7 toy car.',
      'synthetic item 8 toy car.',
      'synthetic item 9 toy car.',
      'synthetic item 10 toy car.',
    ]);
    for (const name of ['text.f32', 'text.mask', 'text.manifest.json']) {
      expect((await readFile(join(dir, name))).equals(await readFile(join(reference, name))), name).toBe(true);
    }
  });

  it('leaves matching files alone and starts afresh for another encoder revision', async () => {
    const { dir, dataset } = await writeSyntheticDataset(5);
    await encodeTextFeatures({ dataset, encoder: createCountingTestTextEncoder(), dir });
    const again = createCountingTestTextEncoder();
    const events: FeatureProgressEvent[] = [];
    expect(
      await encodeTextFeatures({ dataset, encoder: again, dir, onProgress: (event) => events.push(event) }),
    ).toMatchObject({ encodedNow: 0 });
    expect(again.calls).toEqual([]);
    expect(events).toEqual([
      { type: 'up-to-date', modality: 'text', itemCount: 5, manifest: join(dir, 'text.manifest.json') },
    ]);

    // A stale progress record of another revision is not resumed from.
    await writeFile(
      join(dir, 'text.progress.json'),
      JSON.stringify({ format: 'imecd-features-progress/1', key: {}, done: 3 }),
    );
    const revised = { ...createCountingTestTextEncoder(), revision: '2' };
    const result = await encodeTextFeatures({ dataset, encoder: revised, dir });
    expect(result).toMatchObject({ resumedFrom: 0, encodedNow: 5 });
    expect(result.manifest.modelRevision).toBe('2');
  });

  it('rejects encoder output of the wrong size or with NaN', async () => {
    const { dataset } = await writeSyntheticDataset(4);
    const encoder = { dim: 2, modelName: 'test/broken', revision: '1', pooling: 'none' };
    const short = writeFeatureFiles({
      dir: await temporaryFolder(),
      modality: 'text',
      dataset,
      encoder,
      encodeChunk: async (items) => ({
        values: new Float32Array(items.length),
        present: new Uint8Array(items.length).fill(1),
      }),
    });
    await expect(short).rejects.toThrow(/test\/broken output: expected \[4, 2\]/);
    const nan = writeFeatureFiles({
      dir: await temporaryFolder(),
      modality: 'text',
      dataset,
      encoder,
      encodeChunk: async (items) => ({
        values: new Float32Array(items.length * 2).fill(Number.NaN),
        present: new Uint8Array(items.length).fill(1),
      }),
    });
    const error = await nan.catch((caught: unknown) => caught);
    expect(ImecdError.isInstance(error) && error.code).toBe('ENCODER_OUTPUT');
  });
});
