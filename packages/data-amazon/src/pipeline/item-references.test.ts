import { describe, expect, it } from 'vitest';
import { itemIdsOf } from './item-references';

describe('itemIdsOf (synthetic catalogue)', () => {
  const dataset = { name: 'synthetic', numItems: 3, itemKeys: ['', 'B001', 'B002', 'B003'] };

  it('maps keys, or ids with by "id", in order, skipping blanks', () => {
    expect(itemIdsOf(dataset, ['B003', ' B001 ', '', 'B003'])).toEqual([3, 1, 3]);
    expect(itemIdsOf(dataset, ['2', '3'], 'id')).toEqual([2, 3]);
  });

  it('names an unknown key with the other way in, and an id out of range with the range', () => {
    expect(() => itemIdsOf(dataset, ['B001', 'nope'])).toThrow(
      'Invalid item key: "nope" is not an item key (ASIN) of synthetic; items can be given by id 1..3 instead',
    );
    expect(() => itemIdsOf(dataset, [''])).not.toThrow();
    for (const bad of ['0', '4', '1.5', 'B001'])
      expect(() => itemIdsOf(dataset, [bad], 'id')).toThrow(`"${bad}" is not an item id; ids run 1..3`);
  });
});
