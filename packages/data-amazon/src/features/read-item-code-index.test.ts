import { join } from 'node:path';
import { DataFormatError, InvalidArgumentError } from '@imecd/core';
import { afterAll, describe, expect, it } from 'vitest';
import { rejectionOf, removeFixtureCopies, temporaryFolder } from '../../test/fixtures/copy-fixture';
import { readItemCodeIndex } from './read-item-code-index';

afterAll(removeFixtureCopies);

/** A synthetic index file, pretty-printed as the published ones are (one token per line). */
async function indexFile(entries: Record<string, unknown>): Promise<string> {
  const folder = await temporaryFolder({ 'x.index.json': JSON.stringify(entries, null, 4) });
  return join(folder, 'x.index.json');
}

describe('readItemCodeIndex (synthetic index files)', () => {
  it('reads one code per level, key k at item k + 1 by default, padding row 0 empty', async () => {
    const file = await indexFile({ '0': ['<A_3>', '<B_0>'], '1': ['<a_1>', '<b_7>'] }); // either letter case
    const codes = await readItemCodeIndex(file, { numItems: 2, modality: 'image', codesPerLevel: 8 });
    expect(codes).toMatchObject({ modality: 'image', levels: 2, codesPerLevel: 8, source: file });
    expect(Array.from(codes.codes)).toEqual([0, 0, 3, 0, 1, 7]);
    expect(Array.from(codes.mask)).toEqual([0, 1, 1]);
  });

  it('maps keys through rowToItem; items without a key stay masked, keys of items not in the dataset are skipped', async () => {
    const file = await indexFile({ '0': ['<A_5>'], '1': ['<A_6>'], '2': ['<A_7>'] });
    const codes = await readItemCodeIndex(file, {
      numItems: 4,
      modality: 'text',
      rowToItem: Int32Array.from([3, 0, 1]),
    });
    expect(Array.from(codes.codes)).toEqual([0, 7, 0, 5, 0]);
    expect(Array.from(codes.mask)).toEqual([0, 1, 0, 1, 0]);
  });

  it.each([
    [{ '0': ['<A_1>', '<B_2>'], '1': ['<A_1>'] }, /key "1": has 1 code tokens, expected 2/],
    [
      { '0': ['<A_1>', '<B_2>'], '1': ['<A_1>', '<C_2>'] },
      /key "1": token 2 "<C_2>" belongs to level C, expected level B/,
    ],
    [{ '0': ['<A_1>'], '1': ['A_1'] }, /key "1": token 1 "A_1" is not a code token like "<A_12>"/],
    [{ '0': ['<A_1>'], '1': ['<A_256>'] }, /key "1": token 1 "<A_256>": code 256 is not below codesPerLevel 256/],
    [{ '0': ['<A_1>'], x: ['<A_1>'] }, /key "x": is not a 0-based integer key/],
    [{ '0': ['<A_1>'], '5': ['<A_1>'] }, /key "5": is outside 0\.\.1/],
    [{ '0': ['<A_1>'], '1': 7 }, /key "1": expected a list of 1 code tokens, got number/],
  ])('rejects malformed entries, naming file, line and key (%#)', async (entries, message) => {
    const file = await indexFile(entries);
    const error = await rejectionOf(readItemCodeIndex(file, { numItems: 2, modality: 'image' }));
    expect(error).toBeInstanceOf(DataFormatError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(file);
    const key = Object.keys(entries)[1]!;
    const line =
      JSON.stringify(entries, null, 4)
        .split('\n')
        .findIndex((text) => text.includes(`"${key}"`)) + 1;
    expect((error as DataFormatError).line).toBe(line);
  });

  it('rejects files that are not an index, and bad options', async () => {
    const folder = await temporaryFolder({ 'bad.json': '{"0": ["<A_1>"],\n', 'list.json': '[1, 2]' });
    expect(
      await rejectionOf(readItemCodeIndex(join(folder, 'bad.json'), { numItems: 1, modality: 'text' })),
    ).toBeInstanceOf(DataFormatError);
    expect(
      ((await rejectionOf(readItemCodeIndex(join(folder, 'list.json'), { numItems: 1, modality: 'text' }))) as Error)
        .message,
    ).toMatch(/expected an object/);
    const file = await indexFile({ '0': ['<A_1>'] });
    expect(await rejectionOf(readItemCodeIndex(file, { numItems: 0, modality: 'text' }))).toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(await rejectionOf(readItemCodeIndex(file, { numItems: 1, modality: '' }))).toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(
      await rejectionOf(readItemCodeIndex(file, { numItems: 1, modality: 'text', codesPerLevel: 0 })),
    ).toBeInstanceOf(InvalidArgumentError);
  });
});
