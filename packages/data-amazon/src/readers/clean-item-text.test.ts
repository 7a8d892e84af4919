import { describe, expect, it } from 'vitest';
import { cleanItemText } from './clean-item-text';

describe('cleanItemText', () => {
  it('writes "title. categories. brand." with one period per part', () => {
    expect(
      cleanItemText({
        item: 'I1',
        title: 'Gorilla Glue, 8 ounce',
        categories: ['Industrial & Scientific', 'Tapes, Adhesives & Sealants'],
        brand: 'Gorilla',
        description: 'never used',
      }),
    ).toBe('Gorilla Glue, 8 ounce. Industrial & Scientific Tapes, Adhesives & Sealants. Gorilla.');
  });

  it('decodes named and numeric entities, then drops double quotes and tags', () => {
    expect(
      cleanItemText({ item: 'I1', title: 'Puzzle &quot;Deluxe&quot; &amp; More&#8482; &#x2013; caf&eacute;<br/>2' }),
    ).toBe('Puzzle Deluxe & More™ – café 2.');
    expect(cleanItemText({ item: 'I1', title: 'Kid\'s <b>14"</b> Bike', brand: 'Toys &amp; Co' })).toBe(
      "Kid's 14 Bike. Toys & Co.",
    );
  });

  it('turns line breaks, tabs and repeated spaces into one space', () => {
    expect(cleanItemText({ item: 'I1', title: '  Red\n\tBall \r\n  Set  ', categories: ['Toys\tGames'] })).toBe(
      'Red Ball Set. Toys Games.',
    );
  });

  it('keeps one final period: "Inc." stays, "Wow..." and "Fun ." shrink', () => {
    expect(cleanItemText({ item: 'I1', title: 'Wow...', categories: ['Fun .'], brand: 'Acme Inc.' })).toBe(
      'Wow. Fun. Acme Inc.',
    );
  });

  it('skips blank parts and blank categories', () => {
    expect(cleanItemText({ item: 'I1', title: '   ', categories: ['', ' ', 'Games'], brand: '""' })).toBe('Games.');
    expect(cleanItemText({ item: 'I1', categories: [] })).toBe('');
    expect(cleanItemText({ item: 'I1', title: '...' })).toBe('');
  });

  it('drops a part of 2000 or more characters, period included, as UniSRec does', () => {
    const title1998 = 'a'.repeat(1998); // 1999 with its period: kept
    const title1999 = 'a'.repeat(1999); // 2000 with its period: dropped
    expect(cleanItemText({ item: 'I1', title: title1998, brand: 'B' })).toBe(`${title1998}. B.`);
    expect(cleanItemText({ item: 'I1', title: title1999, brand: 'B' })).toBe('B.');
    // Code points count, not UTF-16 units: 1000 emoji are 2000 units but 1001 characters.
    const emoji = '😀'.repeat(1000);
    expect(cleanItemText({ item: 'I1', title: emoji })).toBe(`${emoji}.`);
  });
});
