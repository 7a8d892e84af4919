import { DataFormatError, InvalidArgumentError } from '@imecd/core';
import { cleanItemText } from '../readers/index';
import type { RawInteraction, RawItemMeta, SequenceDataset } from '../types';
import { iterativeKCore, type KCoreRound } from './iterative-k-core';

/**
 * How dense ids are handed out. `numeric-key`: in the numeric order of the source's keys, which
 * must be integers — a 1-based sequential.txt keeps its ids, a 0-based index i becomes i + 1.
 * `first-seen`: in order of first appearance when the interactions are visited in time order.
 */
export type IdOrder = 'numeric-key' | 'first-seen';

export interface BuildSequenceDatasetOptions {
  /** Dataset name, e.g. "Scientific". Required. */
  name: string;
  /** Layout label stored on the dataset, e.g. "sequential-txt". Required. */
  layout: string;
  /** What the interactions were read from (a file or folder), named in errors. Default: `name`. */
  source?: string;
  /** Minimum interactions per user and per item, applied iteratively (`iterativeKCore`); 0 or 1 = off. Default 5. */
  kCore?: number;
  /** Item metadata by item key; fills `itemTitles` and (through `cleanItemText`) `itemText`. Default: none. */
  meta?: ReadonlyMap<string, RawItemMeta>;
  /** Drop interactions whose item has no entry in `meta`, before k-core (UniSRec does this). Default false. */
  dropItemsWithoutMeta?: boolean;
  /** Item ids 1..N. Default 'first-seen'. */
  itemOrder?: IdOrder;
  /** User indices 0..U-1. Default: the same as `itemOrder`. */
  userOrder?: IdOrder;
  /** Keep only the earliest of repeated user–item interactions. Default false: repeats are real repeat purchases. */
  dedupe?: boolean;
}

/**
 * Turns raw interactions into a next-item dataset: optional drop of items without meta →
 * optional dedupe → iterative k-core → per-user chronological order → dense ids (items 1..N with
 * 0 as padding, users 0..U-1).
 *
 * The time sort is stable: equal times keep file order. An interaction without a time takes the
 * time of the same user's previous interaction in the file (−∞ for the first), so sources that
 * are already in time order and carry no times keep their order exactly.
 */
export async function buildSequenceDataset(
  interactions: Iterable<RawInteraction> | AsyncIterable<RawInteraction>,
  options: BuildSequenceDatasetOptions,
): Promise<SequenceDataset> {
  const settings = resolveOptions(options);
  const collected = await collect(interactions, settings.source);
  if (collected.users.length === 0) throw new DataFormatError(settings.source, undefined, 'no interactions');

  const active = new Uint8Array(collected.users.length).fill(1);
  if (settings.dropItemsWithoutMeta) dropItemsWithoutMeta(collected, settings, active);
  const order = chronologicalOrder(collected.times);
  if (settings.dedupe) dropRepeats(collected, order, active);

  const kCore = iterativeKCore({ users: collected.users, items: collected.items, active }, settings.kCore);
  const keep = kCore.keep;
  if (!keep.includes(1)) {
    throw new DataFormatError(
      settings.source,
      undefined,
      `no interactions left after ${settings.kCore}-core filtering (${describeRounds(kCore.rounds)})`,
    );
  }

  const userIds = assignIds(
    collected.userKeys,
    collected.users,
    order,
    keep,
    settings.userOrder,
    'user',
    settings.source,
    0,
  );
  const itemIds = assignIds(
    collected.itemKeys,
    collected.items,
    order,
    keep,
    settings.itemOrder,
    'item',
    settings.source,
    1,
  );
  const numUsers = countAssigned(userIds);
  const numItems = countAssigned(itemIds);

  const lengths = new Int32Array(numUsers);
  for (const j of order) if (keep[j] === 1) lengths[userIds[collected.users[j]!]!]!++;
  const sequences = Array.from(lengths, (length) => new Int32Array(length));
  const filled = new Int32Array(numUsers);
  for (const j of order) {
    if (keep[j] === 0) continue;
    const user = userIds[collected.users[j]!]!;
    sequences[user]![filled[user]!++] = itemIds[collected.items[j]!]!;
  }

  const userKeys = keysById(collected.userKeys, userIds, numUsers, 0);
  const itemKeys = ['', ...keysById(collected.itemKeys, itemIds, numItems, 1)];
  const dataset: SequenceDataset = {
    name: settings.name,
    layout: settings.layout,
    numUsers,
    numItems,
    sequences,
    userKeys,
    itemKeys,
    features: {},
  };
  if (settings.meta !== undefined) attachMeta(dataset, settings.meta);
  return dataset;
}

type ResolvedOptions = Required<Omit<BuildSequenceDatasetOptions, 'meta'>> & {
  meta: ReadonlyMap<string, RawItemMeta> | undefined;
};

function resolveOptions(options: BuildSequenceDatasetOptions): ResolvedOptions {
  const {
    name,
    layout,
    kCore = 5,
    meta,
    dropItemsWithoutMeta = false,
    itemOrder = 'first-seen',
    dedupe = false,
  } = options;
  const userOrder = options.userOrder ?? itemOrder;
  if (typeof name !== 'string' || name === '') throw new InvalidArgumentError('name', 'expected a non-empty string');
  if (typeof layout !== 'string' || layout === '')
    throw new InvalidArgumentError('layout', 'expected a non-empty string');
  if (!Number.isInteger(kCore) || kCore < 0)
    throw new InvalidArgumentError('kCore', `expected a non-negative integer, got ${kCore}`);
  for (const [argument, value] of [
    ['itemOrder', itemOrder],
    ['userOrder', userOrder],
  ] as const) {
    if (value !== 'numeric-key' && value !== 'first-seen') {
      throw new InvalidArgumentError(argument, `expected "numeric-key" or "first-seen", got ${JSON.stringify(value)}`);
    }
  }
  if (dropItemsWithoutMeta && meta === undefined) {
    throw new InvalidArgumentError('dropItemsWithoutMeta', 'needs `meta` to know which items have metadata');
  }
  return {
    name,
    layout,
    source: options.source ?? name,
    kCore,
    meta,
    dropItemsWithoutMeta,
    itemOrder,
    userOrder,
    dedupe,
  };
}

/** Interactions with interned keys; `times` holds the effective time (see buildSequenceDataset). */
interface Collected {
  userKeys: string[];
  itemKeys: string[];
  users: Int32Array;
  items: Int32Array;
  times: Float64Array;
}

async function collect(
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

function dropItemsWithoutMeta(collected: Collected, settings: ResolvedOptions, active: Uint8Array): void {
  const hasMeta = collected.itemKeys.map((key) => settings.meta!.has(key));
  for (let j = 0; j < active.length; j++) if (!hasMeta[collected.items[j]!]) active[j] = 0;
  if (!active.includes(1)) {
    throw new DataFormatError(
      settings.source,
      undefined,
      `none of the ${collected.itemKeys.length} items has an entry in the item metadata`,
    );
  }
}

/** Interaction positions sorted by time, ties in file order. */
function chronologicalOrder(times: Float64Array): Int32Array {
  const order = new Int32Array(times.length);
  for (let j = 0; j < order.length; j++) order[j] = j;
  let sorted = true;
  for (let j = 1; j < times.length && sorted; j++) sorted = times[j - 1]! <= times[j]!;
  if (sorted) return order;
  return order.sort((a, b) => (times[a]! < times[b]! ? -1 : times[a]! > times[b]! ? 1 : a - b));
}

/** Keeps the earliest of each repeated user–item pair. */
function dropRepeats(collected: Collected, order: Int32Array, active: Uint8Array): void {
  const numItemKeys = collected.itemKeys.length;
  const seen = new Set<number>();
  for (const j of order) {
    if (active[j] === 0) continue;
    const pair = collected.users[j]! * numItemKeys + collected.items[j]!;
    if (seen.has(pair)) active[j] = 0;
    else seen.add(pair);
  }
}

/** Dense id per interned key (−1 for keys with no surviving interaction), starting at `firstId`. */
function assignIds(
  keys: string[],
  keyOfInteraction: Int32Array,
  order: Int32Array,
  keep: Uint8Array,
  idOrder: IdOrder,
  what: 'user' | 'item',
  source: string,
  firstId: number,
): Int32Array {
  const ids = new Int32Array(keys.length).fill(-1);
  let next = firstId;
  for (const j of order) {
    if (keep[j] === 0) continue;
    const key = keyOfInteraction[j]!;
    if (ids[key] === -1) ids[key] = next++;
  }
  if (idOrder === 'first-seen') return ids;

  const present: { position: number; value: number }[] = [];
  for (let position = 0; position < keys.length; position++) {
    if (ids[position] === -1) continue;
    const key = keys[position]!;
    if (!/^[+-]?\d+$/.test(key)) {
      throw new DataFormatError(
        source,
        undefined,
        `${what} ids in numeric-key order need integer ${what} keys, got "${key}"`,
      );
    }
    present.push({ position, value: Number(key) });
  }
  present.sort((a, b) => a.value - b.value);
  present.forEach(({ position, value }, rank) => {
    const previous = present[rank - 1];
    if (previous !== undefined && previous.value === value) {
      throw new DataFormatError(
        source,
        undefined,
        `${what} keys "${keys[previous.position]}" and "${keys[position]}" are the same number`,
      );
    }
    ids[position] = firstId + rank;
  });
  return ids;
}

function countAssigned(ids: Int32Array): number {
  let count = 0;
  for (const id of ids) if (id !== -1) count++;
  return count;
}

function keysById(keys: string[], ids: Int32Array, count: number, firstId: number): string[] {
  const byId = new Array<string>(count);
  ids.forEach((id, position) => {
    if (id !== -1) byId[id - firstId] = keys[position]!;
  });
  return byId;
}

function attachMeta(dataset: SequenceDataset, meta: ReadonlyMap<string, RawItemMeta>): void {
  const titles: (string | undefined)[] = [undefined];
  const texts: (string | undefined)[] = [undefined];
  for (let id = 1; id <= dataset.numItems; id++) {
    const entry = meta.get(dataset.itemKeys[id]!);
    titles.push(entry?.title);
    const text = entry === undefined ? '' : cleanItemText(entry);
    texts.push(text === '' ? undefined : text);
  }
  if (titles.some((title) => title !== undefined)) dataset.itemTitles = titles;
  if (texts.some((text) => text !== undefined)) dataset.itemText = texts;
}

function describeRounds(rounds: KCoreRound[]): string {
  return rounds.map((round) => `round ${round.round} left ${round.users} users / ${round.items} items`).join(', ');
}
