import { InvalidArgumentError } from '@imecd/core';
import type { SequenceDataset } from '../types';

/**
 * The item ids of `references`, each a dataset key (an ASIN) or, with `by: 'id'`, an item id
 * 1..numItems as the pipeline numbers them (a 0-based `<Name>.item2index` index i is id i + 1).
 * Blank entries are skipped; one that names no item is an InvalidArgumentError (argument
 * `item key` or `item id`) saying what the other way to name items is.
 */
export function itemIdsOf(
  dataset: Pick<SequenceDataset, 'name' | 'numItems' | 'itemKeys'>,
  references: readonly string[],
  by: 'key' | 'id' = 'key',
): number[] {
  const keyToId = by === 'key' ? new Map(dataset.itemKeys.map((key, id) => [key, id])) : undefined;
  return references
    .map((reference) => reference.trim())
    .filter(Boolean)
    .map((reference) => {
      const id = keyToId ? keyToId.get(reference) : Number(reference);
      if (keyToId && (id === undefined || id === 0))
        throw new InvalidArgumentError(
          'item key',
          `"${reference}" is not an item key (ASIN) of ${dataset.name}; items can be given by id 1..${dataset.numItems} instead`,
        );
      if (!keyToId && (!/^\d+$/.test(reference) || id! < 1 || id! > dataset.numItems))
        throw new InvalidArgumentError(
          'item id',
          `"${reference}" is not an item id; ids run 1..${dataset.numItems} (for a 0-based <Name>.item2index index i, give i + 1)`,
        );
      return id!;
    });
}
