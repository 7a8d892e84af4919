import { join } from 'node:path';
import { InvalidArgumentError } from '@imecd/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  copyFixture,
  dataFormatErrorOf,
  fixturePath,
  rejectionOf,
  removeFixtureCopies,
} from '../../test/fixtures/copy-fixture';
import { cleanItemText } from '../readers/index';
import { loadDataset } from './load-dataset';

afterAll(removeFixtureCopies);

const FIXTURE = 'synthetic-amazon-2018';

function asArrays(sequences: Int32Array[]): number[][] {
  return sequences.map((sequence) => Array.from(sequence));
}

describe('amazon-raw layout', () => {
  it('orders by review time, numbers ids first-seen and drops items the meta file lacks', async () => {
    const dataset = await loadDataset(fixturePath(FIXTURE), { kCore: 0 });
    expect(dataset.layout).toBe('amazon-raw');
    expect(dataset.name).toBe('Synthetic_Lab');
    // Time order without I3: u3/I2 50, u3/I1 60, u1/I1 100, u2/I1 200, u1/I2 300, u2/I2 400.
    expect(dataset.userKeys).toEqual(['u3', 'u1', 'u2']);
    expect(dataset.itemKeys).toEqual(['', 'I2', 'I1']);
    expect(asArrays(dataset.sequences)).toEqual([
      [1, 2],
      [2, 1],
      [2, 1],
    ]);
    expect(dataset.itemTitles).toEqual([undefined, 'Flask &amp; Stopper', 'Beaker']);
    expect(dataset.itemText).toEqual([
      undefined,
      cleanItemText({ item: 'I2', title: 'Flask &amp; Stopper', categories: ['Lab'] }),
      cleanItemText({ item: 'I1', title: 'Beaker', categories: ['Lab', 'Glassware'], brand: 'Acme' }),
    ]);
  });

  it('keeps items without meta when asked, and when there is no meta file', async () => {
    const kept = await loadDataset(fixturePath(FIXTURE), { kCore: 0, dropItemsWithoutMeta: false });
    expect(kept.itemKeys).toEqual(['', 'I2', 'I1', 'I3']);
    expect(asArrays(kept.sequences)[2]).toEqual([2, 3, 1]);

    const withoutMeta = await copyFixture(FIXTURE, { 'meta_Synthetic_Lab.json': null });
    const plain = await loadDataset(withoutMeta, { kCore: 0 });
    expect(plain.itemKeys).toEqual(['', 'I2', 'I1', 'I3']);
    expect(plain.itemText).toBeUndefined();
    const error = await rejectionOf(loadDataset(withoutMeta, { kCore: 0, dropItemsWithoutMeta: true }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
  });

  it('passes a malformed review line through with its file and line', async () => {
    const dir = await copyFixture(FIXTURE, {
      'Synthetic_Lab_5.json':
        '{"reviewerID": "u1", "asin": "I2", "unixReviewTime": 300}\n{"reviewerID": "u1", "asin": "I1"}\n',
    });
    const error = await dataFormatErrorOf(loadDataset(dir, { kCore: 0 }));
    expect(error.file).toBe(join(dir, 'Synthetic_Lab_5.json'));
    expect(error.line).toBe(2);
  });
});
