import type { SequenceDataset } from '@imecd/data-amazon';

/** Where the texts of `itemTexts` came from. */
export type ItemTextSource = 'text' | 'titles' | 'attributes' | 'none';

/** One text per item id (index 0 = padding, always undefined) and what it was built from. */
export interface ItemTexts {
  texts: (string | undefined)[];
  source: ItemTextSource;
}

/**
 * The text an encoder should read for each item, as the data package built it: `itemText`
 * (cleaned title + categories + brand), else the raw titles, else the attribute ids as tokens
 * `attr<ID>` (S3-Rec/P5 datasets such as toys publish only anonymised brand/category ids).
 * An item without any of these has no text and ends up missing (mask 0).
 */
export function itemTexts(dataset: SequenceDataset): ItemTexts {
  const clean = (text: string | undefined) => (text === undefined || text.trim() === '' ? undefined : text);
  if (dataset.itemText?.some((text) => clean(text) !== undefined))
    return { texts: dataset.itemText.map(clean), source: 'text' };
  if (dataset.itemTitles?.some((text) => clean(text) !== undefined))
    return { texts: dataset.itemTitles.map(clean), source: 'titles' };
  if (dataset.itemAttributes !== undefined) {
    const texts = dataset.itemAttributes.map((ids, item) =>
      item === 0 || ids.length === 0 ? undefined : Array.from(ids, (id) => `attr${id}`).join(' '),
    );
    return { texts, source: 'attributes' };
  }
  return { texts: new Array<string | undefined>(dataset.numItems + 1).fill(undefined), source: 'none' };
}
