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

const FIXTURE = 'synthetic-sequential-txt';

function asArrays(sequences: Int32Array[]): number[][] {
  return sequences.map((sequence) => Array.from(sequence));
}

describe('sequential-txt layout', () => {
  it('reads sequences with their own ids, reviewerIDs, ASINs, titles, cleaned text and attributes', async () => {
    const dataset = await loadDataset(fixturePath(FIXTURE), { kCore: 0 });
    expect(dataset.layout).toBe('sequential-txt');
    expect(dataset.name).toBe(FIXTURE);
    expect(asArrays(dataset.sequences)).toEqual([
      [1, 2, 3],
      [2, 3, 1, 4],
      [3, 1],
    ]);
    expect(dataset.userKeys).toEqual(['U1', 'U2', 'U3']);
    expect(dataset.itemKeys).toEqual(['', 'A1', 'A2', 'A3', 'A4']);
    expect(dataset.itemTitles).toEqual([undefined, 'Red Ball', 'Blue &amp; Green Kite', undefined, 'Yo-yo']);
    expect(dataset.itemText).toEqual([undefined, 'Red Ball.', 'Blue & Green Kite.', undefined, 'Yo-yo.']);
    expect(dataset.itemAttributes?.map((attributes) => Array.from(attributes))).toEqual([[], [1, 2], [2], [3], []]);
  });

  it('keeps ids through a k-core and aligns feature rows (row r = item r + 1) to them', async () => {
    // k = 2: item 4 has one interaction and goes in round 1; every user keeps at least 2 items.
    const dir = await copyFixture(FIXTURE, { 'image.f32': float32Bytes([1, 1, 2, 2, 3, 3, 4, 4]) });
    const dataset = await loadDataset(dir, { kCore: 2 });
    expect(asArrays(dataset.sequences)).toEqual([
      [1, 2, 3],
      [2, 3, 1],
      [3, 1],
    ]);
    expect(dataset.itemKeys).toEqual(['', 'A1', 'A2', 'A3']);
    const image = dataset.features.image!;
    expect(image.dim).toBe(2);
    expect(Array.from(image.values)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(Array.from(image.mask)).toEqual([0, 1, 1, 1]);
  });

  it('needs only sequential.txt', async () => {
    const dir = await copyFixture(FIXTURE, { 'datamaps.json': null, 'items.tsv': null });
    const dataset = await loadDataset(dir, { kCore: 0 });
    expect(dataset.userKeys).toEqual(['1', '2', '3']);
    expect(dataset.itemKeys).toEqual(['', '1', '2', '3', '4']);
    expect(dataset.itemText).toBeUndefined();
  });

  describe('bad input', () => {
    const cases: {
      name: string;
      changes: Record<string, string>;
      file: string;
      line: number | undefined;
      reason: string | RegExp;
    }[] = [
      {
        name: 'a non-integer item id',
        changes: { 'sequential.txt': '1 1 2 3\n2 2 x 1 4\n3 3 1\n' },
        file: 'sequential.txt',
        line: 2,
        reason: 'item id must be a non-negative integer, got "x"',
      },
      {
        name: 'an item id the mapping does not have',
        changes: { 'sequential.txt': '1 1 2 3\n2 2 3 1 4\n3 3 9\n' },
        file: 'sequential.txt',
        line: 3,
        reason: 'item id 9 is not in datamaps.json id2item',
      },
      {
        name: 'an unknown user id',
        changes: { 'sequential.txt': '1 1 2 3\n7 2 3 1 4\n' },
        file: 'sequential.txt',
        line: 2,
        reason: 'user id 7 is not in datamaps.json id2user',
      },
      {
        name: 'a user line without items',
        changes: { 'sequential.txt': '1 1 2 3\n2 2 3 1 4\n3\n' },
        file: 'sequential.txt',
        line: 3,
        reason: 'user 3 has no items',
      },
      {
        name: 'an ASIN that disagrees with datamaps.json',
        changes: { 'items.tsv': 'item_id\tasin\ttitle\tattribute_ids\n1\tA1\tRed Ball\t1 2\n2\tA9\tKite\t2\n' },
        file: 'items.tsv',
        line: 3,
        reason: 'asin "A9" disagrees with datamaps.json id2item, which has "A2" for item 2',
      },
      {
        name: 'an items.tsv without the asin column',
        changes: { 'items.tsv': 'item_id\ttitle\n1\tRed Ball\n' },
        file: 'items.tsv',
        line: 1,
        reason: 'missing column "asin" (the header has item_id, title)',
      },
      {
        name: 'an items.tsv row with too few fields',
        changes: { 'items.tsv': 'item_id\tasin\ttitle\tattribute_ids\n1\tA1\tRed Ball\t1 2\n2\tA2\n' },
        file: 'items.tsv',
        line: 3,
        reason: 'expected 4 tab-separated fields (item_id, asin, title, attribute_ids), got 2',
      },
      {
        name: 'an items.tsv cut mid-row',
        changes: { 'items.tsv': 'item_id\tasin\ttitle\tattribute_ids\n1\tA1\tRed Ball\t1 2\n2\tA2' },
        file: 'items.tsv',
        line: 3,
        reason: /^the last line has no line break after it, so the file may have been cut short \("2\\tA2"\)/,
      },
      {
        name: 'a malformed attribute id',
        changes: { 'items.tsv': 'item_id\tasin\tattribute_ids\n1\tA1\t1 b\n' },
        file: 'items.tsv',
        line: 2,
        reason: 'attribute id must be a non-negative integer, got "b"',
      },
      {
        name: 'malformed datamaps.json',
        changes: { 'datamaps.json': '{\n  "id2user": {"1": "U1",},\n}' },
        file: 'datamaps.json',
        line: 2,
        reason: /^not valid JSON/,
      },
      {
        name: 'a datamaps.json without id2item',
        changes: { 'datamaps.json': '{ "id2user": {} }' },
        file: 'datamaps.json',
        line: undefined,
        reason: /^expected \{"id2user"/,
      },
    ];
    for (const { name, changes, file, line, reason } of cases) {
      it(`reports ${name} at ${file}${line === undefined ? '' : `:${line}`}`, async () => {
        const dir = await copyFixture(FIXTURE, changes);
        const error = await dataFormatErrorOf(loadDataset(dir, { kCore: 0 }));
        expect(error.file).toBe(join(dir, file));
        expect(error.line).toBe(line);
        if (typeof reason === 'string') expect(error.reason).toBe(reason);
        else expect(error.reason).toMatch(reason);
      });
    }

    it('names sequential.txt and the rounds when the default 5-core leaves nothing', async () => {
      const error = await dataFormatErrorOf(loadDataset(fixturePath(FIXTURE)));
      expect(error.file).toBe(join(fixturePath(FIXTURE), 'sequential.txt'));
      expect(error.line).toBeUndefined();
      expect(error.reason).toBe('no interactions left after 5-core filtering (round 1 left 0 users / 0 items)');
    });
  });
});
