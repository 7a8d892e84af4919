import { InvalidArgumentError } from '@imecd/core';

/** Where a batch's targets are, read once per step from its [size, length] targets. */
export interface ScoredPositions {
  /** Flat indices (row · length + position) of every nonzero target, in order: S entries. */
  positions: Int32Array;
  /** The targets at `positions`. */
  targets: Int32Array;
  /** Flat index of each row's last scored position (rows with no target are left out): R entries. */
  lastPositions: Int32Array;
  /** The targets at `lastPositions`. */
  lastTargets: Int32Array;
  /**
   * For each of the S scored positions: its index among the R last positions, or R when it is not
   * a row's last one (a gather from R rows plus one zero row then spreads R vectors over S rows).
   */
  lastIndexOfScored: Int32Array;
}

/** The scored and last-scored positions of a left-padded [size, length] target matrix. */
export function scoredPositions(targets: Int32Array, size: number, length: number): ScoredPositions {
  const positions: number[] = [];
  const lastPositions: number[] = [];
  const lastIndex: number[] = [];
  for (let row = 0; row < size; row++) {
    let last = -1;
    for (let position = 0; position < length; position++) {
      const flat = row * length + position;
      if (targets[flat] !== 0) {
        positions.push(flat);
        last = flat;
      }
    }
    if (last >= 0) lastPositions.push(last);
  }
  if (positions.length === 0) throw new InvalidArgumentError('batch', 'has no nonzero target to score');
  const lastSlot = new Map(lastPositions.map((flat, index) => [flat, index]));
  for (const flat of positions) lastIndex.push(lastSlot.get(flat) ?? lastPositions.length);
  return {
    positions: Int32Array.from(positions),
    targets: Int32Array.from(positions, (flat) => targets[flat]!),
    lastPositions: Int32Array.from(lastPositions),
    lastTargets: Int32Array.from(lastPositions, (flat) => targets[flat]!),
    lastIndexOfScored: Int32Array.from(lastIndex),
  };
}
