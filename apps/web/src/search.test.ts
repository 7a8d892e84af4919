import { describe, expect, it } from 'vitest';
import { createCatalogueSearch } from './search';

const catalogue = {
  keys: ['', 'B001', 'B002', 'B003', 'B004'],
  titles: [undefined, 'Digital Caliper 6 inch', 'Nitrile Gloves, Large', undefined, 'Caliper, digital, 12 inch'],
};

describe('createCatalogueSearch', () => {
  const search = createCatalogueSearch(catalogue);

  it('matches every word in any order, the whole phrase first, ignoring case and punctuation', () => {
    expect(search('DIGITAL caliper', 10).map((hit) => hit.id)).toEqual([1, 4]);
    expect(search('caliper digital', 10).map((hit) => hit.id)).toEqual([4, 1]);
    expect(search('gloves, LARGE', 10).map((hit) => hit.id)).toEqual([2]);
  });

  it('finds items by key and labels untitled items with their key', () => {
    expect(search('b003', 10)).toEqual([{ id: 3, key: 'B003', label: 'B003' }]);
  });

  it('returns nothing for a blank query and at most `limit` hits', () => {
    expect(search('   ', 10)).toEqual([]);
    expect(search('b00', 2).map((hit) => hit.id)).toEqual([1, 2]);
  });
});
