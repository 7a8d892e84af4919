import { InvalidArgumentError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import type { SequenceDataset } from '../types';
import { splitLeaveOneOut } from './split-leave-one-out';
import { trainingPairs } from './training-pairs';

/** Synthetic: user 0 has 6 items, user 1 has 3, user 2 has 2, user 3 has 1. */
function syntheticDataset(): SequenceDataset {
  const sequences = [[1, 2, 3, 4, 5, 6], [7, 8, 9], [10, 11], [12]].map((items) => Int32Array.from(items));
  return {
    name: 'synthetic',
    layout: 'test',
    numUsers: 4,
    numItems: 12,
    sequences,
    userKeys: ['a', 'b', 'c', 'd'],
    itemKeys: Array.from({ length: 13 }, (_, id) => (id === 0 ? '' : `i${id}`)),
    features: {},
  };
}

describe('splitLeaveOneOut', () => {
  it('holds out the last item for test and the second to last for valid, with truncated histories', () => {
    const split = splitLeaveOneOut(syntheticDataset(), { maxHistory: 3 });
    expect(split.maxHistory).toBe(3);
    expect(Array.from(split.test.users)).toEqual([0, 1, 2]);
    expect(Array.from(split.test.targets)).toEqual([6, 9, 11]);
    expect(split.test.histories.map((history) => Array.from(history))).toEqual([[3, 4, 5], [7, 8], [10]]);
    expect(Array.from(split.valid.users)).toEqual([0, 1]);
    expect(Array.from(split.valid.targets)).toEqual([5, 8]);
    expect(split.valid.histories.map((history) => Array.from(history))).toEqual([[2, 3, 4], [7]]);
  });

  it('keeps each training sequence whole, up to the valid target', () => {
    const split = splitLeaveOneOut(syntheticDataset(), { maxHistory: 3 });
    // user 1 has 3 items: its training part is [7], which holds no prefix → next pair.
    expect(Array.from(split.train.users)).toEqual([0]);
    expect(split.train.sequences.map((sequence) => Array.from(sequence))).toEqual([[1, 2, 3, 4]]);
  });

  it('defaults to 50 items of history and rejects a bad maxHistory', () => {
    const long = syntheticDataset();
    long.sequences = [Int32Array.from({ length: 60 }, (_, position) => position + 1)];
    const split = splitLeaveOneOut(long);
    expect(split.test.histories[0]).toHaveLength(50);
    expect(split.test.histories[0]![0]).toBe(10);
    expect(() => splitLeaveOneOut(long, { maxHistory: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('trainingPairs', () => {
  it('lists every prefix end of every training sequence', () => {
    const dataset = syntheticDataset();
    dataset.sequences.push(Int32Array.from([1, 3, 5, 7]));
    const split = splitLeaveOneOut(dataset, { maxHistory: 3 });
    // train: user 0 → [1, 2, 3, 4] (3 pairs), user 4 → [1, 3] (1 pair)
    const pairs = trainingPairs(split);
    expect(Array.from(pairs.rows)).toEqual([0, 0, 0, 1]);
    expect(Array.from(pairs.users)).toEqual([0, 0, 0, 4]);
    expect(Array.from(pairs.ends)).toEqual([1, 2, 3, 1]);
  });
});
