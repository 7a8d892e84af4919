import { join } from 'node:path';
import { InvalidArgumentError } from '@imecd/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  copyFixture,
  dataFormatErrorOf,
  fixturePath,
  float32Bytes,
  removeFixtureCopies,
  temporaryFolder,
} from '../../test/fixtures/copy-fixture';
import { detectLayout, loadDataset } from './load-dataset';

afterAll(removeFixtureCopies);

describe('detectLayout', () => {
  it('recognises each layout and its file prefix', async () => {
    expect(await detectLayout(fixturePath('synthetic-recbole-atomic'))).toEqual({
      layout: 'recbole-atomic',
      prefix: 'Lab',
    });
    expect(await detectLayout(fixturePath('synthetic-recbole-inter'))).toEqual({
      layout: 'recbole-atomic',
      prefix: 'Shop',
    });
    expect(await detectLayout(fixturePath('synthetic-lcrec-inter-json'))).toEqual({
      layout: 'lcrec-inter-json',
      prefix: 'Shop',
    });
    expect(await detectLayout(fixturePath('synthetic-sequential-txt'))).toEqual({
      layout: 'sequential-txt',
      prefix: 'synthetic-sequential-txt',
    });
    expect(await detectLayout(fixturePath('synthetic-amazon-2018'))).toEqual({
      layout: 'amazon-raw',
      prefix: 'Synthetic_Lab',
    });
  });

  it('prefers recbole-atomic files over a sequential.txt in the same folder', async () => {
    const dir = await copyFixture('synthetic-recbole-atomic', { 'sequential.txt': '1 1 2\n' });
    expect((await detectLayout(dir))?.layout).toBe('recbole-atomic');
  });

  it('rejects a folder with two datasets of one layout', async () => {
    const dir = await copyFixture('synthetic-lcrec-inter-json', { 'Other.inter.json': '{}' });
    const error = await dataFormatErrorOf(detectLayout(dir));
    expect(error).toMatchObject({
      file: dir,
      line: undefined,
      reason: 'several lcrec-inter-json datasets in one folder: Other, Shop; keep one per folder',
    });
  });
});

describe('loadDataset', () => {
  it('lists what it looked for when no layout matches', async () => {
    const dir = await temporaryFolder({ 'notes.txt': 'nothing here' });
    const error = await dataFormatErrorOf(loadDataset(dir));
    expect(error.file).toBe(dir);
    expect(error.line).toBeUndefined();
    expect(error.reason).toBe(
      'no recognised dataset layout; looked for <Name>.test.inter or <Name>.inter (recbole-atomic); ' +
        '<Name>.inter.json (lcrec-inter-json); sequential.txt (sequential-txt); ' +
        'reviews_<Category>_5.json[.gz], <Category>_5.json[.gz] or <Category>.jsonl[.gz] (amazon-raw)',
    );
  });

  it('reads only the layout it is told to', async () => {
    const error = await dataFormatErrorOf(
      loadDataset(fixturePath('synthetic-sequential-txt'), { layout: 'lcrec-inter-json' }),
    );
    expect(error.reason).toBe('no recognised dataset layout; looked for <Name>.inter.json (lcrec-inter-json)');
    const dataset = await loadDataset(fixturePath('synthetic-sequential-txt'), {
      layout: 'sequential-txt',
      kCore: 0,
      name: 'Toys',
    });
    expect(dataset.name).toBe('Toys');
  });

  it('skips feature files when features is false', async () => {
    const dir = await copyFixture('synthetic-sequential-txt', { 'image.f32': float32Bytes([1, 2, 3, 4]) });
    expect(Object.keys((await loadDataset(dir, { kCore: 0 })).features)).toEqual(['image']);
    expect((await loadDataset(dir, { kCore: 0, features: false })).features).toEqual({});
  });

  it('rejects bad options and a missing folder', async () => {
    await expect(loadDataset(fixturePath('synthetic-sequential-txt'), { layout: 'csv' as 'auto' })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(loadDataset(fixturePath('synthetic-sequential-txt'), { name: '' })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(loadDataset(fixturePath('synthetic-sequential-txt'), { kCore: -2 })).rejects.toThrow(/kCore/);
    await expect(loadDataset(join(fixturePath('.'), 'no-such-folder'))).rejects.toThrow(InvalidArgumentError);
  });
});
