import { DataFormatError } from '@imecd/core';
import type { RawInteraction } from '../types';

/** Interactions with interned keys; `times` holds the effective time (see buildSequenceDataset). */
export interface Collected {
  userKeys: string[];
  itemKeys: string[];
  users: Int32Array;
  items: Int32Array;
  times: Float64Array;
}

export async function collect(
  interactions: Iterable<RawInteraction> | AsyncIterable<RawInteraction>,
  source: string,
): Promise<Collected> {
  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const users: number[] = [];
  const items: number[] = [];
  const times: number[] = [];
  const lastTimeOfUser: number[] = [];
  const add = (interaction: RawInteraction): void => {
    const { user, item, time } = interaction;
    if (typeof user !== 'string' || typeof item !== 'string') {
      throw new DataFormatError(source, undefined, `interaction ${users.length + 1} has a non-string user or item key`);
    }
    if (time !== undefined && !Number.isFinite(time)) {
      throw new DataFormatError(
        source,
        undefined,
        `interaction ${users.length + 1} (user "${user}", item "${item}") has time ${time}`,
      );
    }
    let userPosition = userIndex.get(user);
    if (userPosition === undefined) {
      userPosition = userIndex.size;
      userIndex.set(user, userPosition);
      lastTimeOfUser.push(Number.NEGATIVE_INFINITY);
    }
    let itemPosition = itemIndex.get(item);
    if (itemPosition === undefined) {
      itemPosition = itemIndex.size;
      itemIndex.set(item, itemPosition);
    }
    const effectiveTime = time ?? lastTimeOfUser[userPosition]!;
    lastTimeOfUser[userPosition] = effectiveTime;
    users.push(userPosition);
    items.push(itemPosition);
    times.push(effectiveTime);
  };
  // A plain loop over arrays and generators avoids one await per interaction.
  if (Symbol.iterator in interactions) for (const interaction of interactions) add(interaction);
  else for await (const interaction of interactions) add(interaction);
  return {
    userKeys: [...userIndex.keys()],
    itemKeys: [...itemIndex.keys()],
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    times: Float64Array.from(times),
  };
}

/** Interaction positions sorted by time, ties in file order. */
export function chronologicalOrder(times: Float64Array): Int32Array {
  const order = new Int32Array(times.length);
  for (let j = 0; j < order.length; j++) order[j] = j;
  let sorted = true;
  for (let j = 1; j < times.length && sorted; j++) sorted = times[j - 1]! <= times[j]!;
  if (sorted) return order;
  return order.sort((a, b) => (times[a]! < times[b]! ? -1 : times[a]! > times[b]! ? 1 : a - b));
}

/** Keeps the earliest of each repeated user–item pair. */
export function dropRepeats(collected: Collected, order: Int32Array, active: Uint8Array): void {
  const numItemKeys = collected.itemKeys.length;
  const seen = new Set<number>();
  for (const j of order) {
    if (active[j] === 0) continue;
    const pair = collected.users[j]! * numItemKeys + collected.items[j]!;
    if (seen.has(pair)) active[j] = 0;
    else seen.add(pair);
  }
}
