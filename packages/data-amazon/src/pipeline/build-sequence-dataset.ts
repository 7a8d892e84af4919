import { DataFormatError, InvalidArgumentError } from '@imecd/core';
import { cleanItemText } from '../readers/index';
import type { RawInteraction, RawItemMeta, SequenceDataset } from '../types';
import { type Collected, chronologicalOrder, collect, dropRepeats } from './collect-interactions';
import { assignIds, countAssigned, keysById } from './dense-ids';
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
