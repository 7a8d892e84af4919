import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFormatError } from '@imecd/core';
import { rejectionOf, removeFixtureCopies, temporaryFolder } from '../../test/fixtures/copy-fixture';
import { discoverFeatureFiles } from './discover-feature-files';

afterAll(removeFixtureCopies);

const bytes = new Uint8Array(8);

describe('discoverFeatureFiles', () => {
  it('maps feat1CLS to text, feat3CLS to image and <modality>.f32 to its name', async () => {
    const folder = await temporaryFolder({ 'Lab.feat1CLS': bytes, 'Lab.feat3CLS': bytes, 'audio.f32': bytes, 'Lab.text': 'x' });
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
