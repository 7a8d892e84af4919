import { DataFormatError, InvalidArgumentError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { cleanItemText } from '../readers/index';
import type { RawInteraction, RawItemMeta } from '../types';
import { buildSequenceDataset } from './build-sequence-dataset';

const base = { name: 'synthetic', layout: 'test', kCore: 0 } as const;

function interaction(user: string, item: string, time?: number): RawInteraction {
  return { user, item, time };
}

function asArrays(sequences: Int32Array[]): number[][] {
  return sequences.map((sequence) => Array.from(sequence));
}

async function* streamed(interactions: RawInteraction[]): AsyncIterable<RawInteraction> {
  yield* interactions;
}

describe('buildSequenceDataset', () => {
  it('sorts each user by time, keeping file order for ties and for missing times', async () => {
    // Item keys spell the expected order: times 5, 3, 3, (none → 3, the previous time), 1.
    const dataset = await buildSequenceDataset(
      [
        interaction('u', 'e', 5),
        interaction('u', 'b', 3),
        interaction('u', 'c', 3),
        interaction('u', 'd'),
        interaction('u', 'a', 1),
      ],
      base,
    );
    expect(dataset.sequences.map((sequence) => Array.from(sequence, (id) => dataset.itemKeys[id]))).toEqual([
      ['a', 'b', 'c', 'd', 'e'],
    ]);
  });

  it('keeps a 1-based numeric source numbering and shifts a 0-based one by one', async () => {
    const oneBased = await buildSequenceDataset([interaction('2', '3'), interaction('2', '1'), interaction('1', '2')], {
      ...base,
      itemOrder: 'numeric-key',
    });
    expect(oneBased.itemKeys).toEqual(['', '1', '2', '3']);
    expect(oneBased.userKeys).toEqual(['1', '2']);
    expect(asArrays(oneBased.sequences)).toEqual([[2], [3, 1]]);

    const zeroBased = await buildSequenceDataset(
      [interaction('0', '10'), interaction('0', '0'), interaction('0', '2')],
      {
        ...base,
        itemOrder: 'numeric-key',
      },
    );
    expect(zeroBased.itemKeys).toEqual(['', '0', '2', '10']);
    expect(asArrays(zeroBased.sequences)).toEqual([[3, 1, 2]]);
  });

  it('numbers first-seen ids in time order across users', async () => {
    const dataset = await buildSequenceDataset(
      [
        interaction('late', 'x', 20),
        interaction('early', 'y', 10),
        interaction('late', 'y', 30),
        interaction('early', 'z', 15),
      ],
      base,
    );
    // Time order: early/y (10), early/z (15), late/x (20), late/y (30).
    expect(dataset.userKeys).toEqual(['early', 'late']);
    expect(dataset.itemKeys).toEqual(['', 'y', 'z', 'x']);
    expect(asArrays(dataset.sequences)).toEqual([
      [1, 2],
      [3, 1],
    ]);
  });

  it('can number items by key and users by first appearance', async () => {
    const dataset = await buildSequenceDataset([interaction('b', '9'), interaction('a', '4')], {
      ...base,
      itemOrder: 'numeric-key',
      userOrder: 'first-seen',
    });
    expect(dataset.userKeys).toEqual(['b', 'a']);
    expect(asArrays(dataset.sequences)).toEqual([[2], [1]]);
  });

  it('applies the iterative k-core and renumbers densely afterwards', async () => {
    // The k-core test case: u3 goes in round 1, item C in round 2, u2 in round 3.
    const rows: [string, string][] = [
      ['u0', 'A'],
      ['u0', 'B'],
      ['u1', 'A'],
      ['u1', 'B'],
      ['u2', 'B'],
      ['u2', 'C'],
      ['u3', 'C'],
    ];
    const dataset = await buildSequenceDataset(streamed(rows.map(([user, item]) => interaction(user, item))), {
      ...base,
      kCore: 2,
    });
    expect(dataset.numUsers).toBe(2);
    expect(dataset.numItems).toBe(2);
    expect(dataset.userKeys).toEqual(['u0', 'u1']);
    expect(dataset.itemKeys).toEqual(['', 'A', 'B']);
    expect(asArrays(dataset.sequences)).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it('keeps repeated interactions unless dedupe asks for the earliest only', async () => {
    const rows = [interaction('u', 'a', 1), interaction('u', 'b', 2), interaction('u', 'a', 3)];
    expect(asArrays((await buildSequenceDataset(rows, base)).sequences)).toEqual([[1, 2, 1]]);
    expect(asArrays((await buildSequenceDataset(rows, { ...base, dedupe: true })).sequences)).toEqual([[1, 2]]);
  });

  it('fills titles and cleaned text from meta and can drop items without meta', async () => {
    const meta = new Map<string, RawItemMeta>([
      ['a', { item: 'a', title: 'Glue &amp; Tape', categories: ['Tools'], brand: 'Acme' }],
      ['c', { item: 'c', categories: ['Lab'] }],
    ]);
    const rows = [interaction('u', 'a', 1), interaction('u', 'b', 2), interaction('u', 'c', 3)];
    const kept = await buildSequenceDataset(rows, { ...base, meta });
    expect(kept.itemKeys).toEqual(['', 'a', 'b', 'c']);
    expect(kept.itemTitles).toEqual([undefined, 'Glue &amp; Tape', undefined, undefined]);
    expect(kept.itemText).toEqual([undefined, cleanItemText(meta.get('a')!), undefined, cleanItemText(meta.get('c')!)]);
    expect(kept.itemText![1]).toContain('Acme');

    const dropped = await buildSequenceDataset(rows, { ...base, meta, dropItemsWithoutMeta: true });
    expect(dropped.itemKeys).toEqual(['', 'a', 'c']);
    expect(asArrays(dropped.sequences)).toEqual([[1, 2]]);
  });

  it('names the source and the rounds when the k-core leaves nothing', async () => {
    const rows = [interaction('u0', 'A'), interaction('u0', 'B'), interaction('u1', 'A'), interaction('u2', 'B')];
    const error = await buildSequenceDataset(rows, { ...base, kCore: 2, source: 'data/synthetic.csv' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DataFormatError);
    expect(error).toMatchObject({ file: 'data/synthetic.csv', line: undefined });
    // round 1 removes u1 and u2 (one each); round 2 then removes u0's now single-user items.
    expect((error as DataFormatError).reason).toBe(
      'no interactions left after 2-core filtering (round 1 left 1 users / 2 items, round 2 left 0 users / 0 items)',
    );
  });

  it('rejects empty input, non-integer keys in numeric order, bad times and bad options', async () => {
    await expect(buildSequenceDataset([], base)).rejects.toThrow(DataFormatError);
    await expect(
      buildSequenceDataset([interaction('1', 'B00X')], { ...base, itemOrder: 'numeric-key' }),
    ).rejects.toThrow(/integer item keys, got "B00X"/);
    await expect(
      buildSequenceDataset([interaction('1', '1'), interaction('1', '01')], { ...base, itemOrder: 'numeric-key' }),
    ).rejects.toThrow(/same number/);
    await expect(buildSequenceDataset([interaction('u', 'a', Number.NaN)], base)).rejects.toThrow(/has time NaN/);
    await expect(buildSequenceDataset([interaction('u', 'a')], { ...base, kCore: -1 })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(
      buildSequenceDataset([interaction('u', 'a')], { ...base, dropItemsWithoutMeta: true }),
    ).rejects.toThrow(/needs `meta`/);
  });
});
