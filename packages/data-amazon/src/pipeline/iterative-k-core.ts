import { InvalidArgumentError } from '@imecd/core';

/** Interactions as parallel arrays of dense user and item indices (0-based, any order). */
export interface KCoreInput {
  users: ArrayLike<number>;
  items: ArrayLike<number>;
  /** active[j] = 1 when interaction j takes part; default: all of them. */
  active?: Uint8Array;
}

/** One filtering round: what it removed and what was left after it. */
export interface KCoreRound {
  /** 1-based. */
  round: number;
  usersRemoved: number;
  itemsRemoved: number;
  users: number;
  items: number;
  interactions: number;
}

export interface KCoreResult {
  /** keep[j] = 1 when interaction j survives. */
  keep: Uint8Array;
  /** The rounds that removed something, in order; empty when the input already was a k-core. */
  rounds: KCoreRound[];
}

/**
 * Iterative k-core: removes every user and every item with fewer than k interactions, recounts,
 * and repeats until a round removes nothing. Users and items are judged on the same counts within
 * a round, and every interaction counts, repeated user–item pairs included (RecBole's
 * `user_inter_num_interval` / `item_inter_num_interval` filter counts the same way). k ≤ 1
 * removes nothing.
 * Pure: returns a new mask and leaves the input alone.
 */
export function iterativeKCore(input: KCoreInput, k: number): KCoreResult {
  const { users, items } = input;
  if (!Number.isInteger(k) || k < 0) throw new InvalidArgumentError('k', `expected a non-negative integer, got ${k}`);
  if (users.length !== items.length) {
    throw new InvalidArgumentError('input', `users has ${users.length} entries but items has ${items.length}`);
  }
  if (input.active !== undefined && input.active.length !== users.length) {
    throw new InvalidArgumentError('input.active', `expected ${users.length} entries, got ${input.active.length}`);
  }
  const keep = input.active === undefined ? new Uint8Array(users.length).fill(1) : input.active.slice();
  const rounds: KCoreRound[] = [];
  if (k <= 1) return { keep, rounds };

  const userCounts = new Int32Array(maxIndex(users) + 1);
  const itemCounts = new Int32Array(maxIndex(items) + 1);
  for (;;) {
    userCounts.fill(0);
    itemCounts.fill(0);
    for (let j = 0; j < keep.length; j++) {
      if (keep[j] === 0) continue;
      userCounts[users[j]!]!++;
      itemCounts[items[j]!]!++;
    }
    const usersRemoved = countBelow(userCounts, k);
    const itemsRemoved = countBelow(itemCounts, k);
    if (usersRemoved === 0 && itemsRemoved === 0) return { keep, rounds };

    // A user can keep its count and still lose every interaction to removed items, so what is
    // "left" is recounted from the surviving interactions rather than taken from the counts.
    const userLeft = new Uint8Array(userCounts.length);
    const itemLeft = new Uint8Array(itemCounts.length);
    let interactions = 0;
    for (let j = 0; j < keep.length; j++) {
      if (keep[j] === 0) continue;
      if (userCounts[users[j]!]! < k || itemCounts[items[j]!]! < k) {
        keep[j] = 0;
        continue;
      }
      userLeft[users[j]!] = 1;
      itemLeft[items[j]!] = 1;
      interactions++;
    }
    rounds.push({
      round: rounds.length + 1,
      usersRemoved,
      itemsRemoved,
      users: countOnes(userLeft),
      items: countOnes(itemLeft),
      interactions,
    });
  }
}

function maxIndex(indices: ArrayLike<number>): number {
  let max = -1;
  for (let j = 0; j < indices.length; j++) {
    const index = indices[j]!;
    if (!Number.isInteger(index) || index < 0) {
      throw new InvalidArgumentError('input', `indices must be non-negative integers, got ${index} at ${j}`);
    }
    if (index > max) max = index;
  }
  return max;
}

/** Present (count > 0) but under k. */
function countBelow(counts: Int32Array, k: number): number {
  let total = 0;
  for (const count of counts) if (count > 0 && count < k) total++;
  return total;
}

function countOnes(flags: Uint8Array): number {
  let total = 0;
  for (const flag of flags) total += flag;
  return total;
}
