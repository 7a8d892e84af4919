import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFormatError } from '@imecd/core';
import { afterAll, describe, expect, it } from 'vitest';
import { float32Bytes, rejectionOf, removeFixtureCopies, temporaryFolder } from '../../test/fixtures/copy-fixture';
import { loadDataset } from '../layouts/load-dataset';
import { datasetFingerprint, FEATURE_MANIFEST_FORMAT, type FeatureManifest } from './feature-manifest';

afterAll(removeFixtureCopies);

// SYNTHETIC dataset (sequential-txt): 3 users over items 1..3, so ids stay 1..3 with k-core off.
const SEQUENTIAL = '1 1 2 3\n2 2 3 1\n3 3 1 2\n';
const KEYS = ['', '1', '2', '3'];
const VALUES = [1, 0, 0, 0, 0, 1]; // 3 items × 2 dims; item 2 is missing (zeros)
const MASK = Uint8Array.from([1, 0, 1]);

function manifestFor(overrides: Partial<FeatureManifest> = {}): FeatureManifest {
  return {
    format: FEATURE_MANIFEST_FORMAT,
    modality: 'text',
    values: 'text.f32',
    mask: 'text.mask',
    itemCount: 3,
    dim: 2,
    missingCount: 1,
    modelName: 'synthetic',
    modelRevision: '1',
    pooling: 'none',
    sha256: createHash('sha256').update(float32Bytes(VALUES)).digest('hex'),
    datasetName: 'synthetic',
    datasetFingerprint: datasetFingerprint(KEYS),
    ...overrides,
  };
}

async function folderWith(manifest: FeatureManifest, files: Record<string, string | Uint8Array> = {}): Promise<string> {
  return temporaryFolder({
    'sequential.txt': SEQUENTIAL,
    'text.f32': float32Bytes(VALUES),
    'text.mask': MASK,
    'text.manifest.json': JSON.stringify(manifest),
    ...files,
  });
}

describe('feature manifests', () => {
  it('loads rows by item id and keeps missing items at mask 0', async () => {
    const dir = await folderWith(manifestFor());
    const dataset = await loadDataset(dir, { kCore: 0 });
    const text = dataset.features.text!;
    expect(text.dim).toBe(2);
    expect(Array.from(text.values)).toEqual([0, 0, 1, 0, 0, 0, 0, 1]);
    expect(Array.from(text.mask)).toEqual([0, 1, 0, 1]);
  });

  it('says the interaction side changed when intact feature files disagree with the dataset', async () => {
    // The features were written for 3 items; the interactions lost user 3's line and item 3 with it.
    const fewer = await folderWith(manifestFor(), { 'sequential.txt': '1 1 2\n2 2 1\n' });
    const countError = await rejectionOf(loadDataset(fewer, { kCore: 0 }));
    expect(countError).toBeInstanceOf(DataFormatError);
    expect(countError).toMatchObject({ file: join(fewer, 'text.manifest.json') });
    expect((countError as DataFormatError).reason).toMatch(
      /feature files are intact as written \(sha256 matches\) for 3 items of "synthetic", but the interactions give dataset ".*" 2 items: the interaction files in .* changed since the features were written/,
    );
    const other = await folderWith(manifestFor({ datasetFingerprint: datasetFingerprint(['', '1', '3', '2']) }));
    await expect(loadDataset(other, { kCore: 0 })).rejects.toThrow(
      /intact as written .*\(fingerprint differs.*: the interaction files .* changed/,
    );
  });

  it('names the values file when its size or checksum disagree with the manifest', async () => {
    const dim = await folderWith(manifestFor({ dim: 3 }));
    const dimError = await rejectionOf(loadDataset(dim, { kCore: 0 }));
    expect(dimError).toMatchObject({ file: join(dim, 'text.f32') });
    expect((dimError as DataFormatError).reason).toMatch(/byte length 24 ≠ 4 · 3 items · 3 dims = 36/);
    const changed = await folderWith(manifestFor());
    await writeFile(join(changed, 'text.f32'), float32Bytes([1, 0, 0, 0, 0, 0.5]));
    const sumError = await rejectionOf(loadDataset(changed, { kCore: 0 }));
    expect(sumError).toMatchObject({ file: join(changed, 'text.f32') });
    expect((sumError as DataFormatError).reason).toMatch(/sha256 [0-9a-f]{64} ≠/);
  });

  it('checks the mask and the manifest fields', async () => {
    const mask = await folderWith(manifestFor({ missingCount: 2 }));
    await expect(loadDataset(mask, { kCore: 0 })).rejects.toMatchObject({ file: join(mask, 'text.mask') });
    const short = await folderWith(manifestFor(), { 'text.mask': Uint8Array.from([1, 1]) });
    await expect(loadDataset(short, { kCore: 0 })).rejects.toThrow(/2 bytes, expected one per item \(3\)/);
    const bad = await folderWith({ ...manifestFor(), dim: 0 });
    await expect(loadDataset(bad, { kCore: 0 })).rejects.toThrow(/"dim" must be a positive integer/);
    const renamed = await folderWith(manifestFor({ modality: 'image' }));
    await expect(loadDataset(renamed, { kCore: 0 })).rejects.toThrow(/file name says "text"/);
  });

  it('conflicts with a second text file in the folder', async () => {
    const dir = await folderWith(manifestFor(), { 'Lab.feat1CLS': float32Bytes(VALUES) });
    await expect(loadDataset(dir, { kCore: 0 })).rejects.toThrow(/two feature files for modality "text"/);
  });
});
