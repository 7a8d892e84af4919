import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFormatError } from '@imecd/core';
import { buildSequenceDataset } from '../pipeline/build-sequence-dataset';
import type { RawInteraction, SequenceDataset } from '../types';
import { attachFeatures, rowToItemByNumericKey } from './attach-features';
import type { LayoutOptions } from './layout-options';
import { createIndexKeys, parseIndex } from './parse-index';
import { type ItemRows, readItemsTsv, titlesAsMeta } from './read-items-tsv';
import { readKeyIndexFile } from './read-key-index-file';
import { scanInterJson } from './scan-inter-json';

/**
 * `lcrec-inter-json` (LC-Rec, LETTER): `<Name>.inter.json` = `{"<user_idx>": [item_idx, ...]}`
 * (0-based, time order), optional `<Name>.item2id` / `<Name>.user2id` (`key<TAB>idx`) and optional
 * `items.tsv` (0-based `item_id`, `asin`, `title`). Item index i becomes id i + 1; titles fill
 * `itemTitles` and, cleaned, `itemText`. Feature file row r is item index r.
 */
export async function loadLcrecInterJson(
  dir: string,
  prefix: string,
  options: LayoutOptions,
): Promise<SequenceDataset> {
  const interFile = join(dir, `${prefix}.inter.json`);
  const item2idFile = join(dir, `${prefix}.item2id`);
  const user2idFile = join(dir, `${prefix}.user2id`);
  const item2id = existsSync(item2idFile) ? await readKeyIndexFile(item2idFile) : undefined;
  const user2id = existsSync(user2idFile) ? await readKeyIndexFile(user2idFile) : undefined;
  const itemsFile = join(dir, 'items.tsv');
  const itemRows = existsSync(itemsFile)
    ? await readItemsTsv(
        itemsFile,
        item2id && { mappedKey: (index) => item2id[index], mappingName: `${prefix}.item2id` },
      )
    : undefined;

  const interactions = readInterJson(await readFile(interFile, 'utf8'), interFile, {
    item2id,
    user2id,
    itemRows,
    prefix,
  });
  const dataset = await buildSequenceDataset(interactions, {
    name: options.name ?? prefix,
    layout: 'lcrec-inter-json',
    source: interFile,
    kCore: options.kCore,
    dedupe: options.dedupe,
    itemOrder: 'numeric-key',
    meta: titlesAsMeta(itemRows),
  });

  // The pipeline numbered items by their integer keys; side files and feature rows follow that
  // numbering, so they are aligned first and the readable keys replace the integers last.
  const rowToItem = rowToItemByNumericKey(dataset.itemKeys, 0, item2id?.length, itemRows?.keys());
  dataset.itemKeys = dataset.itemKeys.map((key, id) =>
    id === 0 ? '' : (item2id?.[Number(key)] ?? itemRows?.get(Number(key))?.asin ?? key),
  );
  if (user2id !== undefined) dataset.userKeys = dataset.userKeys.map((key) => user2id[Number(key)]!);
  if (options.features) await attachFeatures(dataset, dir, rowToItem);
  return dataset;
}

interface Mappings {
  item2id: string[] | undefined;
  user2id: string[] | undefined;
  itemRows: ItemRows | undefined;
  prefix: string;
}

/** Checks each entry as it goes; a generator, so the interactions are never all held at once. */
function* readInterJson(
  text: string,
  file: string,
  { item2id, user2id, itemRows, prefix }: Mappings,
): Generator<RawInteraction> {
  const keyOf = createIndexKeys();
  const seenUsers = new Set<number>();
  for (const { key, items, line } of scanInterJson(text, file)) {
    const user = parseIndex(key, file, line, 'user index');
    if (user2id !== undefined && user >= user2id.length) {
      throw new DataFormatError(
        file,
        line,
        `user index ${user} is outside 0..${user2id.length - 1} (${prefix}.user2id has ${user2id.length} entries)`,
      );
    }
    if (seenUsers.has(user)) throw new DataFormatError(file, line, `user index ${user} appears twice`);
    seenUsers.add(user);
    if (items.length === 0) throw new DataFormatError(file, line, `user ${user} has no items`);
    for (const item of items) {
      if (item2id !== undefined && item >= item2id.length) {
        throw new DataFormatError(
          file,
          line,
          `user ${user}: item index ${item} is outside 0..${item2id.length - 1} (${prefix}.item2id has ${item2id.length} entries)`,
        );
      }
      if (item2id === undefined && itemRows !== undefined && !itemRows.has(item)) {
        throw new DataFormatError(file, line, `user ${user}: item index ${item} is not in items.tsv`);
      }
      yield { user: keyOf(user), item: keyOf(item), time: undefined };
    }
  }
}
