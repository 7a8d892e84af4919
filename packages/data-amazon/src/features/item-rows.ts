import { InvalidArgumentError } from '@imecd/core';

/** What every per-item feature reader takes: the dataset's size, the modality and how file rows map to items. */
export interface ItemRowOptions {
  /** Items in the dataset; the result gets numItems + 1 rows (row 0 = padding). Required. */
  numItems: number;
  /** Modality name stored on the result, e.g. "text". Required. */
  modality: string;
  /**
   * rowToItem[r] = the item id (1..numItems) that file row (or key) r describes, or 0 for one whose item
   * is not in the dataset (e.g. removed by k-core). Its length is the number of rows the file may have.
   * Default: row r describes item r + 1 and the file has numItems rows.
   */
  rowToItem?: Int32Array;
}

/** Checks numItems, modality and rowToItem once, and returns rowToItem (its default filled in). */
export function resolveItemRows(options: ItemRowOptions): Int32Array {
  const { numItems, modality } = options;
  if (!Number.isInteger(numItems) || numItems < 1)
    throw new InvalidArgumentError('numItems', `expected a positive integer, got ${numItems}`);
  if (typeof modality !== 'string' || modality === '')
    throw new InvalidArgumentError('modality', 'expected a non-empty string');
  const rowToItem = options.rowToItem ?? Int32Array.from({ length: numItems }, (_, row) => row + 1);
  const taken = new Uint8Array(numItems + 1);
  rowToItem.forEach((item, row) => {
    if (item < 0 || item > numItems)
      throw new InvalidArgumentError('rowToItem', `row ${row} points to item ${item}, outside 0..${numItems}`);
    if (item === 0) return;
    if (taken[item] === 1)
      throw new InvalidArgumentError('rowToItem', `item ${item} is described by two rows (second: row ${row})`);
    taken[item] = 1;
  });
  return rowToItem;
}
