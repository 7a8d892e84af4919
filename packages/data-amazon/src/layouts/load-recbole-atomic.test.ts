import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  copyFixture,
  dataFormatErrorOf,
  fixturePath,
  float32Bytes,
  removeFixtureCopies,
} from '../../test/fixtures/copy-fixture';
import { datasetStatistics } from '../pipeline/dataset-statistics';
import { splitLeaveOneOut } from '../pipeline/split-leave-one-out';
import { loadDataset } from './load-dataset';

afterAll(removeFixtureCopies);

const FIXTURE = 'synthetic-recbole-atomic';
const HEADER = 'user_id:token\titem_id_list:token_seq\titem_id:token\n';

function asArrays(sequences: Int32Array[]): number[][] {
  return sequences.map((sequence) => Array.from(sequence));
}

/** 4 items × 2 floats; row r = [r + 1, -(r + 1)] for text and [10 (r + 1), 0] for image. */
const features = {
  'Lab.feat1CLS': float32Bytes([1, -1, 2, -2, 3, -3, 4, -4]),
  'Lab.feat3CLS': float32Bytes([10, 0, 20, 0, 30, 0, 40, 0]),
};

describe('recbole-atomic layout (UniSRec downstream files)', () => {
  it('rebuilds sequences from test.inter and maps ASINs, reviewerIDs, text and features', async () => {
    const dataset = await loadDataset(await copyFixture(FIXTURE, features), { kCore: 0 });
    expect(dataset.layout).toBe('recbole-atomic');
    expect(dataset.name).toBe('Lab');
    // test.inter: user 0 = 0 1 2 → 3, user 1 = 1 2 3 0 → 2, user 2 = 3 2 → 1; index i is id i + 1.
    expect(asArrays(dataset.sequences)).toEqual([
      [1, 2, 3, 4],
      [2, 3, 4, 1, 3],
      [4, 3, 2],
    ]);
    expect(dataset.userKeys).toEqual(['V0', 'V1', 'V2']);
    expect(dataset.itemKeys).toEqual(['', 'X0', 'X1', 'X2', 'X3']);
    expect(dataset.itemText).toEqual([
      undefined,
      'Beaker, 250 ml. Lab Glassware. Acme.',
      'Nitrile gloves. Safety.',
      'Pipette tips. Lab Supplies. Acme.',
      'Funnel. Lab Supplies.',
    ]);
    expect(Array.from(dataset.features.text!.values)).toEqual([0, 0, 1, -1, 2, -2, 3, -3, 4, -4]);
    expect(Array.from(dataset.features.image!.values.subarray(2))).toEqual([10, 0, 20, 0, 30, 0, 40, 0]);
    expect(datasetStatistics(dataset).modalities).toEqual(['id', 'text', 'image']);
  });

  it('splits into the same valid and test targets as the files', async () => {
    const split = splitLeaveOneOut(await loadDataset(fixturePath(FIXTURE), { kCore: 0 }));
    // test.inter targets 3, 2, 1 and valid.inter targets 2, 0, 2, each + 1.
    expect(Array.from(split.test.targets)).toEqual([4, 3, 2]);
    expect(Array.from(split.valid.targets)).toEqual([3, 1, 3]);
    expect(asArrays(split.valid.histories)).toEqual([[1, 2], [2, 3, 4], [4]]);
  });

  it('keeps feature rows on their items when the k-core removes one', async () => {
    // k = 3: index 0 has 2 interactions and goes in round 1; every user keeps 3 or more.
    const dataset = await loadDataset(await copyFixture(FIXTURE, features), { kCore: 3 });
    expect(dataset.itemKeys).toEqual(['', 'X1', 'X2', 'X3']);
    expect(asArrays(dataset.sequences)).toEqual([
      [1, 2, 3],
      [1, 2, 3, 2],
      [3, 2, 1],
    ]);
    expect(Array.from(dataset.features.text!.values)).toEqual([0, 0, 2, -2, 3, -3, 4, -4]);
    expect(dataset.itemText?.[1]).toBe('Nitrile gloves. Safety.');
  });

  describe('bad input', () => {
    const cases: {
      name: string;
      changes: Record<string, string | Uint8Array | null>;
      file: string;
      line: number | undefined;
      reason: string;
    }[] = [
      {
        name: 'a valid.inter row that disagrees with test.inter',
        changes: { 'Lab.valid.inter': `${HEADER}0\t0 1\t2\n1\t1 2 3\t2\n2\t3\t2\n` },
        file: 'Lab.valid.inter',
        line: 3,
        reason: 'user 1: history + target disagree with test.inter line 3: item 4 is 2 where test.inter has 0',
      },
      {
        name: 'a train.inter row that disagrees with test.inter',
        changes: { 'Lab.train.inter': `${HEADER}0\t0\t1\n1\t1 3\t3\n1\t1\t2\n` },
        file: 'Lab.train.inter',
        line: 3,
        reason: 'user 1: history + target disagree with test.inter line 3: item 2 is 3 where test.inter has 2',
      },
      {
        name: 'a train.inter without a prefix',
        changes: { 'Lab.train.inter': `${HEADER}0\t0\t1\n1\t1 2\t3\n` },
        file: 'Lab.train.inter',
        line: undefined,
        reason: 'user 1 (test.inter line 3) has no row for the prefix of 1 items',
      },
      {
        name: 'a train.inter row reaching the valid target',
        changes: { 'Lab.train.inter': `${HEADER}0\t0 1\t2\n` },
        file: 'Lab.train.inter',
        line: 2,
        reason: 'user 0: a training prefix of 2 items reaches the valid/test targets (sequence of 4)',
      },
      {
        name: 'an item index outside Lab.item2index',
        changes: { 'Lab.test.inter': `${HEADER}0\t0 1 2\t3\n1\t1 2 3 0\t2\n2\t3 7\t1\n` },
        file: 'Lab.test.inter',
        line: 4,
        reason: 'item index 7 is outside 0..3 (Lab.item2index has 4 entries)',
      },
      {
        name: 'a user index outside Lab.user2index',
        changes: { 'Lab.test.inter': `${HEADER}0\t0 1 2\t3\n5\t1 2 3 0\t2\n` },
        file: 'Lab.test.inter',
        line: 3,
        reason: 'user index 5 is outside 0..2 (Lab.user2index has 3 entries)',
      },
      {
        name: 'a non-integer item index',
        changes: { 'Lab.test.inter': `${HEADER}0\t0 b 2\t3\n` },
        file: 'Lab.test.inter',
        line: 2,
        reason: 'item index must be a non-negative integer, got "b"',
      },
      {
        name: 'a row with too few fields',
        changes: { 'Lab.test.inter': `${HEADER}0\t0 1 2\t3\n1\t1 2 3 0\n` },
        file: 'Lab.test.inter',
        line: 3,
        reason: 'expected 3 tab-separated fields (user_id, item_id_list, item_id), got 2',
      },
      {
        name: 'a header without item_id',
        changes: { 'Lab.test.inter': 'user_id:token\titem_id_list:token_seq\ttarget:token\n0\t0 1 2\t3\n' },
        file: 'Lab.test.inter',
        line: 1,
        reason: 'missing column "item_id" (the header has user_id, item_id_list, target)',
      },
      {
        name: 'a text for an item Lab.item2index lacks',
        changes: { 'Lab.text': 'item_id:token\ttext:token_seq\nX0\tBeaker.\nX9\tGhost.\n' },
        file: 'Lab.text',
        line: 3,
        reason: 'item "X9" is not in Lab.item2index',
      },
      {
        name: 'a feature file of the wrong size',
        changes: { 'Lab.feat1CLS': float32Bytes([1, 2, 3, 4, 5, 6, 7]) },
        file: 'Lab.feat1CLS',
        line: undefined,
        reason:
          'byte length 28 is not a positive multiple of 4 · N = 16 (N = 4 rows), so D = 28 / 16 = 1.75 is not a whole number',
      },
      {
        name: 'a NaN in a feature file',
        changes: { 'Lab.feat3CLS': float32Bytes([1, 2, 3, 4, 5, Number.NaN, 7, 8]) },
        file: 'Lab.feat3CLS',
        line: 3,
        reason: 'row 3, column 2 (both 1-based) holds NaN',
      },
    ];
    for (const { name, changes, file, line, reason } of cases) {
      it(`reports ${name} at ${file}${line === undefined ? '' : `:${line}`}`, async () => {
        const dir = await copyFixture(FIXTURE, changes);
        const error = await dataFormatErrorOf(loadDataset(dir, { kCore: 0 }));
        expect(error.file).toBe(join(dir, file));
        expect(error.line).toBe(line);
        expect(error.reason).toBe(reason);
      });
    }
  });
});

describe('recbole-atomic layout (general .inter)', () => {
  it('reads columns by header name and orders by timestamp, ties in file order', async () => {
    const dataset = await loadDataset(fixturePath('synthetic-recbole-inter'), { kCore: 0 });
    expect(dataset.layout).toBe('recbole-atomic');
    // Time order: flask/ann 100, flask/bob 150, beaker/bob 200 (line 4), tips/ann 200 (line 5), beaker/ann 300.
    expect(dataset.userKeys).toEqual(['ann', 'bob']);
    expect(dataset.itemKeys).toEqual(['', 'flask', 'beaker', 'tips']);
    expect(asArrays(dataset.sequences)).toEqual([
      [1, 3, 2],
      [1, 2],
    ]);
    expect(dataset.itemText).toEqual([undefined, 'Erlenmeyer flask.', 'Beaker.', undefined]);
  });

  it('reports a bad timestamp and a missing column with file and line', async () => {
    const badTime = await copyFixture('synthetic-recbole-inter', {
      'Shop.inter': 'item_id:token\ttimestamp:float\tuser_id:token\nbeaker\t300\tann\nflask\tsoon\tann\n',
    });
    const timeError = await dataFormatErrorOf(loadDataset(badTime, { kCore: 0 }));
    expect(timeError).toMatchObject({
      file: join(badTime, 'Shop.inter'),
      line: 3,
      reason: 'timestamp must be a number, got "soon"',
    });

    const noUser = await copyFixture('synthetic-recbole-inter', {
      'Shop.inter': 'item_id:token\ttimestamp:float\nbeaker\t300\n',
    });
    const columnError = await dataFormatErrorOf(loadDataset(noUser, { kCore: 0 }));
    expect(columnError).toMatchObject({
      file: join(noUser, 'Shop.inter'),
      line: 1,
      reason: 'missing column "user_id" (the header has item_id, timestamp)',
    });
  });
});
