import { InvalidArgumentError } from '@imecd/core';
import type { EvaluationSet, LeaveOneOutSplit, SequenceDataset } from '../types';

export interface SplitLeaveOneOutOptions {
  /** How many of the most recent items a valid/test history keeps. Default 50. */
  maxHistory?: number;
}

/**
 * Leave-one-out by time: for each user the last item is the test target, the second to last the
 * valid target, and every earlier item is training data (kept whole, see `TrainingSequences`).
 *
 * Users with fewer than 3 items cannot have all three parts: with 2 items the user gets a test
 * case only (history = the first item); with 1 item the user appears nowhere. A user enters
 * `train` only when the training sequence has at least 2 items, i.e. at least one prefix → next
 * pair. After a 5-core none of this happens.
 */
export function splitLeaveOneOut(dataset: SequenceDataset, options: SplitLeaveOneOutOptions = {}): LeaveOneOutSplit {
  const { maxHistory = 50 } = options;
  if (!Number.isInteger(maxHistory) || maxHistory < 1) {
    throw new InvalidArgumentError('maxHistory', `expected a positive integer, got ${maxHistory}`);
  }
  const trainUsers: number[] = [];
  const trainSequences: Int32Array[] = [];
  const valid = createCollector();
  const test = createCollector();
  dataset.sequences.forEach((sequence, user) => {
    const length = sequence.length;
    if (length >= 2) test.add(user, sequence, length - 1, maxHistory);
    if (length >= 3) valid.add(user, sequence, length - 2, maxHistory);
    if (length >= 4) {
      trainUsers.push(user);
      trainSequences.push(sequence.slice(0, length - 2));
    }
  });
  return {
    train: { users: Int32Array.from(trainUsers), sequences: trainSequences },
    valid: valid.finish(),
    test: test.finish(),
    maxHistory,
  };
}

function createCollector() {
  const users: number[] = [];
  const histories: Int32Array[] = [];
  const targets: number[] = [];
  return {
    add(user: number, sequence: Int32Array, targetPosition: number, maxHistory: number): void {
      users.push(user);
      histories.push(sequence.slice(Math.max(0, targetPosition - maxHistory), targetPosition));
      targets.push(sequence[targetPosition]!);
    },
    finish(): EvaluationSet {
      return { users: Int32Array.from(users), histories, targets: Int32Array.from(targets) };
    },
  };
}
