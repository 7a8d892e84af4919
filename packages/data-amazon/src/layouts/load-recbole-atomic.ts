import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataFormatError } from '@imecd/core';
import { buildSequenceDataset } from '../pipeline/build-sequence-dataset';
import type { RawInteraction, SequenceDataset } from '../types';
import { attachFeatures, rowToItemByKey, rowToItemByNumericKey } from './attach-features';
import type { LayoutOptions } from './layout-options';
import { createIndexKeys } from './parse-index';
import { readKeyIndexFile } from './read-key-index-file';
import { readRecboleInter } from './read-recbole-inter';
import { readRecboleSplitFiles } from './read-recbole-split-files';
import { columnOf, readTsv } from './read-tsv';

/**
 * `recbole-atomic`, two forms:
 * - UniSRec downstream: `<Name>.{train,valid,test}.inter` with 0-based indices, sequences rebuilt
 *   from test.inter and checked against the others, `<Name>.item2index` / `<Name>.user2index`
 *   mapping indices to ASINs / reviewerIDs. Index i becomes item id i + 1; feature row r = index r.
 * - General RecBole: one `<Name>.inter` with `user_id`, `item_id`, optional `timestamp`; tokens
 *   are keys, ids are first-seen in time order; feature rows follow `<Name>.item2index` when it
 *   exists, else row r = item id r + 1.
 * Both read `<Name>.text` (`item_id:token<TAB>text:token_seq`) into `itemText`.
 */
export async function loadRecboleAtomic(dir: string, prefix: string, options: LayoutOptions): Promise<SequenceDataset> {
  const base = join(dir, prefix);
  const item2indexFile = `${base}.item2index`;
  const user2indexFile = `${base}.user2index`;
  const item2index = existsSync(item2indexFile) ? await readKeyIndexFile(item2indexFile) : undefined;
  const user2index = existsSync(user2indexFile) ? await readKeyIndexFile(user2indexFile) : undefined;
  const isDownstream = existsSync(`${base}.test.inter`);

  const settings = {
    name: options.name ?? prefix,
    layout: 'recbole-atomic',
    kCore: options.kCore,
    dedupe: options.dedupe,
  };
  let dataset: SequenceDataset;
  let rowToItem: Int32Array;
  if (isDownstream) {
    const sequences = await readRecboleSplitFiles(base, {
      numItems: item2index?.length,
      numUsers: user2index?.length,
      itemMapping: `${prefix}.item2index`,
      userMapping: `${prefix}.user2index`,
    });
    const keyOf = createIndexKeys();
    const interactions: RawInteraction[] = sequences.flatMap(({ user, items }) =>
      items.map((item) => ({ user: keyOf(user), item: keyOf(item), time: undefined })),
    );
    dataset = await buildSequenceDataset(interactions, {
      ...settings,
      source: `${base}.test.inter`,
      itemOrder: 'numeric-key',
    });
    // Feature rows follow the integer indices, so they are aligned before the ASINs replace them.
    rowToItem = rowToItemByNumericKey(dataset.itemKeys, 0, item2index?.length);
    if (item2index !== undefined)
      dataset.itemKeys = dataset.itemKeys.map((key, id) => (id === 0 ? '' : item2index[Number(key)]!));
    if (user2index !== undefined) dataset.userKeys = dataset.userKeys.map((key) => user2index[Number(key)]!);
  } else {
    const interFile = `${base}.inter`;
    dataset = await buildSequenceDataset(await readRecboleInter(interFile), {
      ...settings,
      source: interFile,
      itemOrder: 'first-seen',
    });
    rowToItem = rowToItemByKey(dataset.itemKeys, item2index ?? dataset.itemKeys.slice(1));
  }

  const textFile = `${base}.text`;
  if (existsSync(textFile)) {
    const texts = await readItemTexts(
      textFile,
      item2index && { keys: new Set(item2index), mappingName: `${prefix}.item2index` },
    );
    dataset.itemText = dataset.itemKeys.map((key, id) => (id === 0 ? undefined : texts.get(key)));
  }
  if (options.features) await attachFeatures(dataset, dir, rowToItem);
  return dataset;
}

/** `<Name>.text`: item key → text (trailing space trimmed). Keys outside the item mapping are errors. */
async function readItemTexts(
  file: string,
  mapping: { keys: Set<string>; mappingName: string } | undefined,
): Promise<Map<string, string>> {
  const table = await readTsv(file);
  const keyColumn = columnOf(table, 'item_id');
  const textColumn = columnOf(table, 'text');
  const texts = new Map<string, string>();
  for (const { line, fields } of table.rows) {
    const key = fields[keyColumn]!.trim();
    if (mapping !== undefined && !mapping.keys.has(key))
      throw new DataFormatError(file, line, `item "${key}" is not in ${mapping.mappingName}`);
    if (texts.has(key)) throw new DataFormatError(file, line, `item "${key}" has a second text`);
    const text = fields[textColumn]!.trim();
    if (text !== '') texts.set(key, text);
  }
  return texts;
}
