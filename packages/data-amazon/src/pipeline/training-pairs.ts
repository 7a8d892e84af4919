import type { LeaveOneOutSplit } from '../types';

/**
 * Every (user, prefix end) training pair of a split, for code that batches pairs rather than
 * whole sequences. Pair k predicts `sequence[ends[k]]` from the items before it, where
 * `sequence = split.train.sequences[rows[k]]`; a model with a fixed window reads the last
 * `split.maxHistory` of them (`padHistories` does that cut).
 */
export interface TrainingPairs {
  /** Row into `split.train`. */
  rows: Int32Array;
  /** The dataset's user index, `split.train.users[rows[k]]`. */
  users: Int32Array;
  /** Position of the target inside the training sequence; always ≥ 1. */
  ends: Int32Array;
}

export function trainingPairs(split: LeaveOneOutSplit): TrainingPairs {
  const { users: trainUsers, sequences } = split.train;
  let total = 0;
  for (const sequence of sequences) total += Math.max(0, sequence.length - 1);
  const rows = new Int32Array(total);
  const users = new Int32Array(total);
  const ends = new Int32Array(total);
  let pair = 0;
  sequences.forEach((sequence, row) => {
    for (let end = 1; end < sequence.length; end++) {
      rows[pair] = row;
      users[pair] = trainUsers[row]!;
      ends[pair] = end;
      pair++;
    }
  });
  return { rows, users, ends };
}
