import { DataFormatError, InvalidArgumentError } from '@imecd/core';
import { buildSequenceDataset } from '../pipeline/build-sequence-dataset';
import { findAmazonFiles, readAmazonMeta, readAmazonReviews } from '../readers/index';
import type { RawInteraction, RawItemMeta, SequenceDataset } from '../types';
import { attachFeatures, rowToItemByKey } from './attach-features';
import type { LayoutOptions } from './layout-options';

/**
 * `amazon-raw`: the official review (+ meta) dumps found by `findAmazonFiles`. Sequences follow
 * the review time stamps; ids are first-seen in time order; item text comes from the meta file.
 * Items without meta are dropped before the k-core when a meta file is present, as UniSRec does
 * (`dropItemsWithoutMeta: false` keeps them). Feature file row r is item id r + 1.
 */
export async function loadAmazonRaw(dir: string, options: LayoutOptions): Promise<SequenceDataset> {
  const files = findAmazonFiles(dir);
  if (files === undefined)
    throw new DataFormatError(
      dir,
      undefined,
      'no Amazon review file (reviews_<Category>_5.json, <Category>_5.json or <Category>.jsonl, optionally .gz)',
    );
  if (options.dropItemsWithoutMeta === true && files.meta === undefined) {
    throw new InvalidArgumentError(
      'dropItemsWithoutMeta',
      `${dir} has no meta_${files.category} file to check items against`,
    );
  }
  const interactions: RawInteraction[] = [];
  for await (const interaction of readAmazonReviews(files.reviews, { format: files.format }))
    interactions.push(interaction);

  let meta: Map<string, RawItemMeta> | undefined;
  if (files.meta !== undefined) {
    // Meta dumps cover the whole category; keeping only reviewed items bounds the memory.
    const reviewed = new Set(interactions.map((interaction) => interaction.item));
    meta = new Map();
    for await (const entry of readAmazonMeta(files.meta, { format: files.format })) {
      if (reviewed.has(entry.item) && !meta.has(entry.item)) meta.set(entry.item, entry);
    }
  }

  const dataset = await buildSequenceDataset(interactions, {
    name: options.name ?? files.category,
    layout: 'amazon-raw',
    source: files.reviews,
    kCore: options.kCore,
    dedupe: options.dedupe,
    meta,
    dropItemsWithoutMeta: options.dropItemsWithoutMeta ?? meta !== undefined,
    itemOrder: 'first-seen',
  });
  if (options.features) await attachFeatures(dataset, dir, rowToItemByKey(dataset.itemKeys, dataset.itemKeys.slice(1)));
  return dataset;
}
