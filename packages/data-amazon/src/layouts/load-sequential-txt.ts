import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DataFormatError } from '@imecd/core';
import { readJsonFile } from '../features/read-json-file';
import { buildSequenceDataset } from '../pipeline/build-sequence-dataset';
import { readLines } from '../readers/index';
import type { RawInteraction, SequenceDataset } from '../types';
import { attachFeatures, rowToItemByNumericKey } from './attach-features';
import type { LayoutOptions } from './layout-options';
import { createIndexKeys, parseIndex } from './parse-index';
import { type ItemRows, readItemsTsv, titlesAsMeta } from './read-items-tsv';

/** P5 / S3-Rec `datamaps.json`: 1-based id strings → reviewerID / ASIN. */
interface Datamaps {
  id2user: Record<string, string>;
  id2item: Record<string, string>;
}

/**
 * `sequential-txt` (S3-Rec, P5): `sequential.txt` with `user item item ...` per line in time
 * order (1-based integer ids), optional `datamaps.json` and optional `items.tsv`. Ids keep their
 * numbering; keys become reviewerIDs / ASINs when a mapping is present. Feature file row r is
 * item id r + 1.
 */
export async function loadSequentialTxt(dir: string, options: LayoutOptions): Promise<SequenceDataset> {
  const sequentialFile = join(dir, 'sequential.txt');
  const datamapsFile = join(dir, 'datamaps.json');
  const itemsFile = join(dir, 'items.tsv');
  const datamaps = existsSync(datamapsFile) ? await readDatamaps(datamapsFile) : undefined;
  const itemRows = existsSync(itemsFile)
    ? await readItemsTsv(
        itemsFile,
        datamaps && { mappedKey: (id) => datamaps.id2item[String(id)], mappingName: 'datamaps.json id2item' },
      )
    : undefined;
  const interactions = await readSequentialTxt(sequentialFile, datamaps, itemRows);

  const dataset = await buildSequenceDataset(interactions, {
    name: options.name ?? basename(dir),
    layout: 'sequential-txt',
    source: sequentialFile,
    kCore: options.kCore,
    dedupe: options.dedupe,
    itemOrder: 'numeric-key',
    meta: titlesAsMeta(itemRows),
  });

  // The pipeline numbered items by their integer keys; side files and feature rows follow that
  // numbering, so they are aligned first and the readable keys replace the integers last.
  const sourceIds = dataset.itemKeys.map(Number);
  const knownIds = datamaps ? Object.keys(datamaps.id2item).map(Number) : itemRows?.keys();
  const rowToItem = rowToItemByNumericKey(dataset.itemKeys, 1, undefined, knownIds);
  if (itemRows !== undefined && [...itemRows.values()].some((row) => row.attributes !== undefined)) {
    const none = new Int32Array(0);
    dataset.itemAttributes = sourceIds.map((sourceId, id) =>
      id === 0 ? none : (itemRows.get(sourceId)?.attributes ?? none),
    );
  }
  dataset.itemKeys = dataset.itemKeys.map((key, id) =>
    id === 0 ? '' : (datamaps?.id2item[key] ?? itemRows?.get(Number(key))?.asin ?? key),
  );
  if (datamaps !== undefined) dataset.userKeys = dataset.userKeys.map((key) => datamaps.id2user[key]!);
  if (options.features) await attachFeatures(dataset, dir, rowToItem);
  return dataset;
}

async function readDatamaps(file: string): Promise<Datamaps> {
  const value = (await readJsonFile(file)) as Partial<Datamaps> | null;
  const isStringRecord = (record: unknown): record is Record<string, string> =>
    typeof record === 'object' && record !== null && Object.values(record).every((entry) => typeof entry === 'string');
  if (value === null || typeof value !== 'object' || !isStringRecord(value.id2user) || !isStringRecord(value.id2item)) {
    throw new DataFormatError(
      file,
      undefined,
      'expected {"id2user": {"<id>": "<reviewerID>", ...}, "id2item": {"<id>": "<ASIN>", ...}}',
    );
  }
  return { id2user: value.id2user, id2item: value.id2item };
}

async function readSequentialTxt(
  file: string,
  datamaps: Datamaps | undefined,
  itemRows: ItemRows | undefined,
): Promise<RawInteraction[]> {
  const interactions: RawInteraction[] = [];
  const keyOf = createIndexKeys();
  const seenUsers = new Set<number>();
  for await (const { text, line } of readLines(file, { requireFinalNewline: true })) {
    const tokens = text.trim().split(/\s+/);
    if (tokens[0] === '') continue;
    const user = parseIndex(tokens[0], file, line, 'user id');
    if (tokens.length < 2) throw new DataFormatError(file, line, `user ${user} has no items`);
    if (seenUsers.has(user)) throw new DataFormatError(file, line, `user ${user} has a second line`);
    seenUsers.add(user);
    if (datamaps !== undefined && datamaps.id2user[keyOf(user)] === undefined) {
      throw new DataFormatError(file, line, `user id ${user} is not in datamaps.json id2user`);
    }
    for (const token of tokens.slice(1)) {
      const item = parseIndex(token, file, line, 'item id');
      if (datamaps !== undefined && datamaps.id2item[keyOf(item)] === undefined) {
        throw new DataFormatError(file, line, `item id ${item} is not in datamaps.json id2item`);
      }
      if (datamaps === undefined && itemRows !== undefined && !itemRows.has(item)) {
        throw new DataFormatError(file, line, `item id ${item} is not in items.tsv`);
      }
      interactions.push({ user: keyOf(user), item: keyOf(item), time: undefined });
    }
  }
  return interactions;
}
