import { discoverFeatureFiles } from '../features/discover-feature-files';
import { readManifestFeatures } from '../features/feature-manifest';
import { readFeatureMatrix } from '../features/read-feature-matrix';
import { readItemCodeIndex } from '../features/read-item-code-index';
import type { SequenceDataset } from '../types';
import { readKeyIndexFile } from './read-key-index-file';

/**
 * Reads every feature file found in `dir` into `dataset.features` (code indexes into `dataset.itemCodes`). File row r describes item
 * rowToItem[r] (0 = an item the dataset does not have); its length is the rows a file must have.
 * A file with a manifest (written by @imecd/features) follows the dataset's own ids instead and
 * is checked against the dataset first.
 */
export async function attachFeatures(dataset: SequenceDataset, dir: string, rowToItem: Int32Array): Promise<void> {
  for (const entry of await discoverFeatureFiles(dir)) {
    if (entry.format === 'codes') {
      // A code file with its own numbering names the dataset item (its key) of each of its keys.
      const rows =
        entry.itemMap === undefined
          ? rowToItem
          : rowToItemByKey(dataset.itemKeys, await readKeyIndexFile(entry.itemMap));
      dataset.itemCodes ??= {};
      dataset.itemCodes[entry.modality] = await readItemCodeIndex(entry.file, {
        numItems: dataset.numItems,
        modality: entry.modality,
        rowToItem: rows,
        ...(entry.codesPerLevel === undefined ? {} : { codesPerLevel: entry.codesPerLevel }),
      });
      continue;
    }
    if (entry.manifest !== undefined) {
      dataset.features[entry.modality] = await readManifestFeatures(entry.manifest, dataset);
      continue;
    }
    dataset.features[entry.modality] = await readFeatureMatrix(entry.file, {
      numItems: dataset.numItems,
      modality: entry.modality,
      dim: entry.dim,
      rowToItem,
    });
  }
}

/** rowToItem for files whose row r describes the item with key rowKeys[r]. */
export function rowToItemByKey(itemKeys: readonly string[], rowKeys: readonly string[]): Int32Array {
  const idOfKey = new Map<string, number>();
  itemKeys.forEach((key, id) => {
    if (id > 0) idOfKey.set(key, id);
  });
  return Int32Array.from(rowKeys, (key) => idOfKey.get(key) ?? 0);
}

/**
 * rowToItem for files whose rows follow the source's integer item numbering: row r describes the
 * item whose (pre-relabel) key is r + firstKey. `rowCount` is the source's item count, or, when
 * no mapping file states it, one past the largest key in `knownKeys`.
 */
export function rowToItemByNumericKey(
  itemKeys: readonly string[],
  firstKey: number,
  rowCount: number | undefined,
  knownKeys: Iterable<number> = [],
): Int32Array {
  let rows = rowCount ?? 0;
  if (rowCount === undefined) {
    for (const key of [...knownKeys, ...itemKeys.slice(1).map(Number)]) rows = Math.max(rows, key - firstKey + 1);
  }
  return rowToItemByKey(
    itemKeys,
    Array.from({ length: rows }, (_, row) => String(row + firstKey)),
  );
}
