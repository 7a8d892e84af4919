import type { SequenceDataset } from '@imecd/data-amazon';
import { describe, expect, it } from 'vitest';
import { itemTexts } from './item-texts';

/** A SYNTHETIC 3-item dataset shell; only the text fields matter here. */
function shell(fields: Partial<SequenceDataset>): SequenceDataset {
  return {
    name: 'synthetic',
    layout: 'sequential-txt',
    numUsers: 0,
    numItems: 3,
    sequences: [],
    userKeys: [],
    itemKeys: ['', 'a', 'b', 'c'],
    features: {},
    ...fields,
  };
}

describe('itemTexts', () => {
  it('prefers the cleaned text, then titles; blank texts are missing', () => {
    const both = shell({
      itemText: [undefined, 'Red car.', '  ', undefined],
      itemTitles: [undefined, 'Red car', 'Blue car', 'Bus'],
    });
    expect(itemTexts(both)).toEqual({ texts: [undefined, 'Red car.', undefined, undefined], source: 'text' });
    expect(itemTexts(shell({ itemTitles: [undefined, 'Red car', undefined, 'Bus'] }))).toEqual({
      texts: [undefined, 'Red car', undefined, 'Bus'],
      source: 'titles',
    });
  });

  it('turns attribute ids into tokens, and says when there is nothing', () => {
    const none = new Int32Array(0);
    const attributes = shell({ itemAttributes: [none, Int32Array.from([157, 2]), none, Int32Array.from([2])] });
    expect(itemTexts(attributes)).toEqual({
      texts: [undefined, 'attr157 attr2', undefined, 'attr2'],
      source: 'attributes',
    });
    expect(itemTexts(shell({}))).toEqual({ texts: [undefined, undefined, undefined, undefined], source: 'none' });
  });
});
