import { join } from 'node:path';
import { DataFormatError } from '@imecd/core';
import { afterAll, describe, expect, it } from 'vitest';
import { rejectionOf, removeFixtureCopies, temporaryFolder } from '../../test/fixtures/copy-fixture';
import { discoverFeatureFiles } from './discover-feature-files';

afterAll(removeFixtureCopies);

const bytes = new Uint8Array(8);

describe('discoverFeatureFiles', () => {
  it('maps feat1CLS to text, feat3CLS to image and <modality>.f32 to its name', async () => {
    const folder = await temporaryFolder({
      'Lab.feat1CLS': bytes,
      'Lab.feat3CLS': bytes,
      'audio.f32': bytes,
      'Lab.text': 'x',
    });
    const found = await discoverFeatureFiles(folder);
    expect(found).toEqual([
      { modality: 'text', file: join(folder, 'Lab.feat1CLS') },
      { modality: 'image', file: join(folder, 'Lab.feat3CLS') },
      { modality: 'audio', file: join(folder, 'audio.f32') },
    ]);
  });

  it('follows a features.json manifest, which wins over a same-named .f32 file', async () => {
    const manifest = JSON.stringify({ image: { file: 'clip/image.bin', dim: 2 }, text: { file: 'text.f32' } });
    const folder = await temporaryFolder({ 'features.json': manifest, 'image.f32': bytes, 'text.f32': bytes });
    expect(await discoverFeatureFiles(folder)).toEqual([
      { modality: 'image', file: join(folder, 'clip/image.bin'), dim: 2 },
      { modality: 'text', file: join(folder, 'text.f32') },
    ]);
  });

  it('lists code indexes from the manifest beside a dense file of the same modality', async () => {
    const manifest = JSON.stringify({
      text: { file: 'x.index.json', format: 'codes', codesPerLevel: 16, itemMap: 'x.item2id' },
    });
    const folder = await temporaryFolder({ 'features.json': manifest, 'text.f32': bytes });
    expect(await discoverFeatureFiles(folder)).toEqual([
      {
        modality: 'text',
        file: join(folder, 'x.index.json'),
        format: 'codes',
        codesPerLevel: 16,
        itemMap: join(folder, 'x.item2id'),
      },
      { modality: 'text', file: join(folder, 'text.f32') },
    ]);
    for (const [entry, message] of [
      [{ file: 'x.json', format: 'npy' }, /"format" must be "f32" or "codes"/],
      [{ file: 'x.json', format: 'codes', codesPerLevel: 0 }, /"codesPerLevel" must be a positive integer/],
      [{ file: 'x.json', format: 'codes', itemMap: '' }, /"itemMap" must be a non-empty string/],
    ] as const) {
      const bad = await temporaryFolder({ 'features.json': JSON.stringify({ image: entry }) });
      expect(((await rejectionOf(discoverFeatureFiles(bad))) as Error).message).toMatch(message);
    }
  });

  it('rejects two files for one modality and a malformed manifest', async () => {
    const twice = await temporaryFolder({ 'Lab.feat1CLS': bytes, 'text.f32': bytes });
    await expect(discoverFeatureFiles(twice)).rejects.toThrow(/two feature files for modality "text"/);

    const badDim = await temporaryFolder({ 'features.json': '{ "text": { "file": "t.f32", "dim": 0.5 } }' });
    const error = await rejectionOf(discoverFeatureFiles(badDim));
    expect(error).toBeInstanceOf(DataFormatError);
    expect(error).toMatchObject({ file: join(badDim, 'features.json') });
    expect((error as DataFormatError).reason).toMatch(/"dim" must be a positive integer/);

    const broken = await temporaryFolder({ 'features.json': '{\n  "text": { "file": "t.f32" },\n  "image" 3\n}' });
    await expect(discoverFeatureFiles(broken)).rejects.toMatchObject({ file: join(broken, 'features.json'), line: 3 });
  });
});
