import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DataFormatError } from '@imecd/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawItemMeta } from '../types';
import { cleanItemText } from './clean-item-text';
import { readAmazonMeta } from './read-amazon-meta';

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'imecd-meta-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect<T>(records: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const record of records) out.push(record);
  return out;
}

function write(name: string, content: string | Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

function plainAndGzip(fixture: string): string[] {
  const plain = join(fixtures, fixture);
  return [plain, write(`${fixture.replace('/', '-')}.gz`, gzipSync(readFileSync(plain)))];
}

const EXPECTED_2018: RawItemMeta[] = [
  {
    item: 'I_SYN_1',
    title: 'Synthetic Puzzle &quot;Deluxe&quot;',
    brand: 'SynthCo',
    categories: ['Toys &amp; Games', 'Puzzles'],
    description: 'A synthetic puzzle. Two pieces.',
    imageUrl: 'http://img.example/large-1.jpg',
  },
  { item: 'I_SYN_2', imageUrl: 'http://img.example/small-2.jpg' },
  { item: 'I_SYN_3', title: 'Only a title' },
];
const EXPECTED_2014: RawItemMeta[] = [
  {
    item: 'I_SYN_1',
    title: 'Synthetic Tutu – Pink', // written as the UTF-8 bytes \xe2\x80\x93
    brand: 'SynthCo',
    categories: ['Toys & Games', 'Dress Up', 'Costumes'],
    description: "A child's tutu.",
    imageUrl: 'http://img.example/tutu.jpg',
  },
  { item: 'I_SYN_2', title: 'Café Set', categories: ['Toys & Games'] }, // Latin-1 \xe9 stays é
];
const EXPECTED_2023: RawItemMeta[] = [
  {
    item: 'I_SYN_1',
    title: 'Synthetic Blocks',
    brand: 'SynthCo',
    categories: ['Toys & Games', 'Building Toys'],
    description: 'Wooden blocks. Ages 3+.',
    imageUrl: 'http://img.example/l-1.jpg',
  },
  { item: 'I_SYN_2', title: 'Synthetic Ball', imageUrl: 'http://img.example/h-2.jpg' },
];

describe('readAmazonMeta', () => {
  it.each([
    ['raw-2018/meta_Synthetic_Toys.json', '2018', EXPECTED_2018],
    ['raw-2014/meta_Synthetic_Toys.json', '2014', EXPECTED_2014],
    ['raw-2023/meta_Synthetic_Toys.jsonl', '2023', EXPECTED_2023],
  ] as const)('reads %s, plain and gzip, detected and named', async (fixture, format, expected) => {
    for (const file of plainAndGzip(fixture)) {
      expect(await collect(readAmazonMeta(file))).toEqual(expected);
      expect(await collect(readAmazonMeta(file, { format }))).toEqual(expected);
    }
  });

  it('leaves missing optional fields out of the record', async () => {
    const [, second] = await collect(readAmazonMeta(join(fixtures, 'raw-2018/meta_Synthetic_Toys.json')));
    expect(Object.keys(second!)).toEqual(['item', 'imageUrl']);
  });

  it('feeds cleanItemText', async () => {
    const [first] = await collect(readAmazonMeta(join(fixtures, 'raw-2018/meta_Synthetic_Toys.json')));
    expect(cleanItemText(first!)).toBe('Synthetic Puzzle Deluxe. Toys & Games Puzzles. SynthCo.');
  });

  it('detects 2014 JSON meta by its field names', async () => {
    const file = write(
      'json-2014.json',
      '{"asin": "I1", "imUrl": "http://img.example/1.jpg", "categories": [["A", "B"]]}\n',
    );
    expect(await collect(readAmazonMeta(file))).toEqual([
      { item: 'I1', categories: ['A', 'B'], imageUrl: 'http://img.example/1.jpg' },
    ]);
  });

  it('names a missing item key and mistyped optional fields', async () => {
    const missing = write('missing-asin.json', '{"asin": "I1"}\n{"title": "No key"}\n');
    await expect(collect(readAmazonMeta(missing, { format: '2018' }))).rejects.toMatchObject({
      file: missing,
      line: 2,
      reason: 'field "asin" is missing',
    });
    const title = write('number-title.json', '{"asin": "I1", "title": 42}\n');
    await expect(collect(readAmazonMeta(title))).rejects.toMatchObject({
      line: 1,
      reason: 'field "title" must be a string, got number 42',
    });
    const paths = write('flat-categories.json', "{'asin': 'I1', 'categories': ['A', 'B']}\n");
    await expect(collect(readAmazonMeta(paths))).rejects.toMatchObject({
      reason: 'field "categories" must be a list of lists of strings, but item 0 is the string "A"',
    });
    const image = write('bad-image.jsonl', '{"parent_asin": "I1", "images": [{"large": 5}]}\n');
    await expect(collect(readAmazonMeta(image))).rejects.toMatchObject({
      reason: 'field "images[0].large" must be a string, got number 5',
    });
  });

  it('names the file and line of a malformed line and of an empty file', async () => {
    const malformed = write('malformed.jsonl', '{"parent_asin": "I1"}\n{"parent_asin": "I2",}\n');
    const error = await collect(readAmazonMeta(malformed)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataFormatError);
    expect(error).toMatchObject({ file: malformed, line: 2, reason: expect.stringMatching(/^malformed JSON/) });
    const empty = write('meta-empty.json.gz', gzipSync('\n'));
    await expect(collect(readAmazonMeta(empty))).rejects.toMatchObject({
      file: empty,
      line: 1,
      reason: 'empty file: no meta records',
    });
  });

  it('reports a truncated gzip with the line number', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({ asin: `I${i}`, title: `Synthetic item ${i} ${'t'.repeat(i % 40)}` }),
    );
    const whole = gzipSync(lines.join('\n'));
    const file = write('meta-truncated.json.gz', whole.subarray(0, Math.floor(whole.length * 0.6)));
    let read = 0;
    const error = await (async () => {
      for await (const _meta of readAmazonMeta(file)) read++;
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ file, line: read + 1, reason: expect.stringMatching(/^truncated gzip/) });
    expect(read).toBeGreaterThan(0);
  });
});
