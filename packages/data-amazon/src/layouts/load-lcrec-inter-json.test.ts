import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  copyFixture,
  dataFormatErrorOf,
  fixturePath,
  float32Bytes,
  removeFixtureCopies,
} from '../../test/fixtures/copy-fixture';
import { loadDataset } from './load-dataset';

afterAll(removeFixtureCopies);

const FIXTURE = 'synthetic-lcrec-inter-json';

function asArrays(sequences: Int32Array[]): number[][] {
  return sequences.map((sequence) => Array.from(sequence));
}

describe('lcrec-inter-json layout', () => {
  it('shifts 0-based indices to ids 1..N and maps keys, titles and cleaned text', async () => {
    const dataset = await loadDataset(fixturePath(FIXTURE), { kCore: 0 });
    expect(dataset.layout).toBe('lcrec-inter-json');
    expect(dataset.name).toBe('Shop');
    expect(asArrays(dataset.sequences)).toEqual([
      [1, 2, 3],
      [2, 3],
      [3, 1, 4],
    ]);
    expect(dataset.userKeys).toEqual(['R0', 'R1', 'R2']);
    expect(dataset.itemKeys).toEqual(['', 'P0', 'P1', 'P2', 'P3']);
    expect(dataset.itemTitles).toEqual([undefined, 'Harmonica', 'Guitar Strings, 6 pack', 'Capo', 'Piano Bench']);
    expect(dataset.itemText).toEqual([undefined, 'Harmonica.', 'Guitar Strings, 6 pack.', 'Capo.', 'Piano Bench.']);
  });

  it('aligns feature row r to item index r after a k-core', async () => {
    // k = 2: index 3 (one interaction) goes in round 1; user 1 keeps [1, 2] and user 2 keeps [2, 0].
    const dir = await copyFixture(FIXTURE, { 'text.f32': float32Bytes([10, 11, 12, 13]) });
    const dataset = await loadDataset(dir, { kCore: 2 });
    expect(dataset.itemKeys).toEqual(['', 'P0', 'P1', 'P2']);
    expect(Array.from(dataset.features.text!.values)).toEqual([0, 10, 11, 12]);
    expect(Array.from(dataset.features.text!.mask)).toEqual([0, 1, 1, 1]);
  });

  it('reads code indexes declared in features.json: by item index, or through their own item map (keys → ASINs), missing items masked', async () => {
    const index = (entries: Record<string, string[]>) => JSON.stringify(entries, null, 4);
    const dir = await copyFixture(FIXTURE, {
      'features.json': JSON.stringify({
        image: { file: 'Shop.index_img.json', format: 'codes', codesPerLevel: 8 },
        text: { file: 'Shop.index_txt.json', format: 'codes', codesPerLevel: 8, itemMap: 'Shop.codes.item2id' },
      }),
      // By item index: index i is item id i + 1.
      'Shop.index_img.json': index({
        '0': ['<A_1>', '<B_2>'],
        '1': ['<A_3>', '<B_4>'],
        '2': ['<A_5>', '<B_6>'],
        '3': ['<A_7>', '<B_0>'],
      }),
      // Its own numbering: key 0 = P2, key 1 = P0, key 2 = an item not in the dataset; P1 and P3 have no codes.
      'Shop.codes.item2id': 'P2\t0\nP0\t1\nP9\t2\n',
      'Shop.index_txt.json': index({ '0': ['<a_2>'], '1': ['<a_5>'], '2': ['<a_7>'] }),
    });
    const dataset = await loadDataset(dir, { kCore: 0 });
    expect(dataset.itemKeys).toEqual(['', 'P0', 'P1', 'P2', 'P3']);
    const image = dataset.itemCodes!.image!;
    expect(Array.from(image.codes)).toEqual([0, 0, 1, 2, 3, 4, 5, 6, 7, 0]);
    expect(Array.from(image.mask)).toEqual([0, 1, 1, 1, 1]);
    const text = dataset.itemCodes!.text!;
    expect(Array.from(text.codes)).toEqual([0, 5, 0, 2, 0]);
    expect(Array.from(text.mask)).toEqual([0, 1, 0, 1, 0]);
  });

  it('needs only the .inter.json', async () => {
    const dir = await copyFixture(FIXTURE, { 'Shop.item2id': null, 'Shop.user2id': null, 'items.tsv': null });
    const dataset = await loadDataset(dir, { kCore: 0 });
    expect(dataset.userKeys).toEqual(['0', '1', '2']);
    expect(dataset.itemKeys).toEqual(['', '0', '1', '2', '3']);
  });

  describe('bad input', () => {
    const cases: {
      name: string;
      changes: Record<string, string | null>;
      file: string;
      line: number;
      reason: string;
    }[] = [
      {
        name: 'an item index outside Shop.item2id',
        changes: { 'Shop.inter.json': '{\n  "0": [0, 1, 2],\n  "1": [1, 2],\n  "2": [2, 0, 4]\n}' },
        file: 'Shop.inter.json',
        line: 4,
        reason: 'user 2: item index 4 is outside 0..3 (Shop.item2id has 4 entries)',
      },
      {
        name: 'a user index outside Shop.user2id',
        changes: { 'Shop.inter.json': '{\n  "0": [0, 1, 2],\n  "3": [1, 2]\n}' },
        file: 'Shop.inter.json',
        line: 3,
        reason: 'user index 3 is outside 0..2 (Shop.user2id has 3 entries)',
      },
      {
        name: 'an item index not in items.tsv when there is no item2id',
        changes: { 'Shop.item2id': null, 'Shop.inter.json': '{"0": [0, 1, 5]}' },
        file: 'Shop.inter.json',
        line: 1,
        reason: 'user 0: item index 5 is not in items.tsv',
      },
      {
        name: 'a non-integer user key',
        changes: { 'Shop.inter.json': '{\n  "0": [0, 1, 2],\n  "u1": [1, 2]\n}' },
        file: 'Shop.inter.json',
        line: 3,
        reason: 'user index must be a non-negative integer, got "u1"',
      },
      {
        name: 'a string item index',
        changes: { 'Shop.inter.json': '{\n  "0": [0, "1"]\n}' },
        file: 'Shop.inter.json',
        line: 2,
        reason: 'column 12: expected a non-negative integer item index, found "\\"1\\"]\\n}"',
      },
      {
        name: 'a truncated file',
        changes: { 'Shop.inter.json': '{\n  "0": [0, 1, 2],\n  "1": [1, ' },
        file: 'Shop.inter.json',
        line: 3,
        reason: 'column 12: expected a non-negative integer item index, found the end of the file',
      },
      {
        name: 'a user without items',
        changes: { 'Shop.inter.json': '{\n  "0": []\n}' },
        file: 'Shop.inter.json',
        line: 2,
        reason: 'user 0 has no items',
      },
      {
        name: 'a malformed index in Shop.item2id',
        changes: { 'Shop.item2id': 'P0\t0\nP1\tone\n' },
        file: 'Shop.item2id',
        line: 2,
        reason: 'index must be a non-negative integer, got "one"',
      },
      {
        name: 'a missing field in Shop.user2id',
        changes: { 'Shop.user2id': 'R0\t0\nR1\n' },
        file: 'Shop.user2id',
        line: 2,
        reason: 'expected "key<TAB>index", got 1 tab-separated fields',
      },
      {
        name: 'an index past the end of Shop.item2id',
        changes: { 'Shop.item2id': 'P0\t0\nP1\t1\nP2\t2\nP3\t7\n' },
        file: 'Shop.item2id',
        line: 4,
        reason: 'index 7 is outside 0..3 (the file has 4 entries)',
      },
      {
        name: 'an items.tsv ASIN that disagrees with Shop.item2id',
        changes: { 'items.tsv': 'item_id\tasin\ttitle\n0\tP0\tHarmonica\n1\tP7\tStrings\n' },
        file: 'items.tsv',
        line: 3,
        reason: 'asin "P7" disagrees with Shop.item2id, which has "P1" for item 1',
      },
    ];
    for (const { name, changes, file, line, reason } of cases) {
      it(`reports ${name} at ${file}:${line}`, async () => {
        const dir = await copyFixture(FIXTURE, changes);
        const error = await dataFormatErrorOf(loadDataset(dir, { kCore: 0 }));
        expect(error.file).toBe(join(dir, file));
        expect(error.line).toBe(line);
        expect(error.reason).toBe(reason);
      });
    }
  });
});
