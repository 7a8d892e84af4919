import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DataFormatError, InvalidArgumentError } from '@imecd/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawInteraction } from '../types';
import { readAmazonReviews } from './read-amazon-reviews';

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'imecd-reviews-'));
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

/** The fixture itself and a gzip copy of it, so every case runs on both encodings. */
function plainAndGzip(fixture: string): string[] {
  const plain = join(fixtures, fixture);
  return [plain, write(`${fixture.replace('/', '-')}.gz`, gzipSync(readFileSync(plain)))];
}

const EXPECTED_2018: RawInteraction[] = [
  { user: 'U_SYN_A', item: 'I_SYN_1', time: 1420156800 },
  { user: 'U_SYN_A', item: 'I_SYN_2', time: 1420243200 },
  { user: 'U_SYN_B', item: 'I_SYN_1', time: 1420070400 },
  { user: 'U_SYN_A', item: 'I_SYN_1', time: 1420243200 }, // a repeat purchase is kept
];
const EXPECTED_2014: RawInteraction[] = [
  { user: 'U_SYN_A', item: 'I_SYN_1', time: 1262304000 },
  { user: 'U_SYN_B', item: 'I_SYN_2', time: 1262390400 },
  { user: 'U_SYN_C', item: 'I_SYN_1', time: 1262476800 },
];
const EXPECTED_2023: RawInteraction[] = [
  { user: 'U_SYN_A', item: 'I_SYN_1', time: 1588687728.923 },
  { user: 'U_SYN_A', item: 'I_SYN_2', time: 1588687729 },
  { user: 'U_SYN_B', item: 'I_SYN_1', time: 1600000000.5 },
];

describe('readAmazonReviews', () => {
  it.each([
    ['raw-2018/Synthetic_Toys_5.json', '2018', EXPECTED_2018],
    ['raw-2014/reviews_Synthetic_Toys_5.json', '2014', EXPECTED_2014],
    ['raw-2023/Synthetic_Toys.jsonl', '2023', EXPECTED_2023],
  ] as const)('reads %s, plain and gzip, detected and named', async (fixture, format, expected) => {
    for (const file of plainAndGzip(fixture)) {
      expect(await collect(readAmazonReviews(file))).toEqual(expected);
      expect(await collect(readAmazonReviews(file, { format }))).toEqual(expected);
    }
  });

  it('names the file and line of a malformed line', async () => {
    const file = write(
      'bad-json.json',
      '{"reviewerID": "U1", "asin": "I1", "unixReviewTime": 1}\n{"reviewerID": "U2", "asin": \n',
    );
    const error = await collect(readAmazonReviews(file)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataFormatError);
    expect(error).toMatchObject({ file, line: 2, reason: expect.stringMatching(/^malformed JSON: /) });
  });

  it("gives both parsers' messages when a first line is neither JSON nor Python", async () => {
    const file = write('neither.json', '{"reviewerID": "U1",, "asin": "I1"}\n');
    await expect(collect(readAmazonReviews(file))).rejects.toMatchObject({
      line: 1,
      reason: expect.stringMatching(
        /^malformed JSON: .* \(nor a Python literal: unexpected character "," at column 21\)$/,
      ),
    });
  });

  it('names the parser column of a malformed 2014 line', async () => {
    const file = write(
      'bad-python.json',
      "{'reviewerID': 'U1', 'asin': 'I1', 'unixReviewTime': 1}\n\n{'reviewerID': 'U2', 'asin' 'I2'}\n",
    );
    await expect(collect(readAmazonReviews(file))).rejects.toMatchObject({
      file,
      line: 3,
      reason: expect.stringMatching(/^malformed Python literal: expected ':' after a dict key.* at column 29$/),
    });
  });

  it('refuses Python code in a 2014 line', async () => {
    const file = write('code.json', "{'reviewerID': __import__('os').getcwd(), 'asin': 'I1', 'unixReviewTime': 1}\n");
    await expect(collect(readAmazonReviews(file, { format: '2014' }))).rejects.toMatchObject({
      line: 1,
      reason: expect.stringContaining("unexpected name '__import__'"),
    });
  });

  it('names a missing required field', async () => {
    const file = write(
      'missing.json',
      '{"reviewerID": "U1", "asin": "I1", "unixReviewTime": 1}\n{"reviewerID": "U2", "unixReviewTime": 2}\n',
    );
    await expect(collect(readAmazonReviews(file))).rejects.toMatchObject({
      file,
      line: 2,
      reason: 'field "asin" is missing',
    });
    const file2023 = write('missing.jsonl', '{"user_id": "U1", "parent_asin": "I1"}\n');
    await expect(collect(readAmazonReviews(file2023))).rejects.toMatchObject({
      line: 1,
      reason: 'field "timestamp" is missing',
    });
  });

  it('names a field of the wrong type', async () => {
    const time = write('text-time.json', '{"reviewerID": "U1", "asin": "I1", "unixReviewTime": "soon"}\n');
    await expect(collect(readAmazonReviews(time))).rejects.toMatchObject({
      line: 1,
      reason: 'field "unixReviewTime" must be a number, got the string "soon"',
    });
    const numericString = write(
      'numeric-string-time.json',
      '{"reviewerID": "U1", "asin": "I1", "unixReviewTime": "1420156800"}\n',
    );
    await expect(collect(readAmazonReviews(numericString))).rejects.toMatchObject({
      reason: expect.stringContaining('must be a number'),
    });
    const user = write('number-user.json', '{"reviewerID": 7, "asin": "I1", "unixReviewTime": 1}\n');
    await expect(collect(readAmazonReviews(user))).rejects.toMatchObject({
      reason: 'field "reviewerID" must be a string, got number 7',
    });
    const empty = write('empty-item.json', '{"reviewerID": "U1", "asin": " ", "unixReviewTime": 1}\n');
    await expect(collect(readAmazonReviews(empty))).rejects.toMatchObject({ reason: 'field "asin" is empty' });
  });

  it('rejects a line that is not an object and a record of no known release', async () => {
    const array = write('array.json', '[1, 2]\n');
    await expect(collect(readAmazonReviews(array))).rejects.toMatchObject({
      line: 1,
      reason: 'expected one object per line, got an array',
    });
    const unknown = write('unknown.json', '\n{"user": "U1", "item": "I1"}\n');
    await expect(collect(readAmazonReviews(unknown))).rejects.toMatchObject({
      line: 2,
      reason: expect.stringMatching(/^not an Amazon review record/),
    });
  });

  it('rejects an empty file and a file of blank lines', async () => {
    for (const [name, content] of [
      ['empty.json', ''],
      ['blank.json', '\n  \n\n'],
    ] as const) {
      const file = write(name, content);
      await expect(collect(readAmazonReviews(file))).rejects.toMatchObject({
        file,
        line: 1,
        reason: 'empty file: no review records',
      });
    }
    const emptyGzip = write('empty.json.gz', gzipSync(''));
    await expect(collect(readAmazonReviews(emptyGzip))).rejects.toBeInstanceOf(DataFormatError);
  });

  it('reports a truncated gzip at the line it stopped in', async () => {
    const lines = Array.from({ length: 4000 }, (_, i) =>
      JSON.stringify({ reviewerID: `U${i}`, asin: `I${i % 97}`, unixReviewTime: 1_400_000_000 + i * 17 }),
    );
    const whole = gzipSync(lines.join('\n'));
    const file = write('truncated.json.gz', whole.subarray(0, whole.length - 100));
    const seen: RawInteraction[] = [];
    const error = await (async () => {
      for await (const interaction of readAmazonReviews(file)) seen.push(interaction);
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataFormatError);
    expect(error).toMatchObject({ file, line: seen.length + 1, reason: expect.stringMatching(/^truncated gzip/) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)?.user).toBe(`U${seen.length - 1}`);
  });

  it('reports a corrupt gzip', async () => {
    const corrupt = Buffer.from(gzipSync('{"reviewerID": "U1", "asin": "I1", "unixReviewTime": 1}\n'));
    corrupt[corrupt.length - 6] = corrupt[corrupt.length - 6]! ^ 0x55; // inside the CRC-32 trailer
    const file = write('corrupt.json.gz', corrupt);
    await expect(collect(readAmazonReviews(file))).rejects.toMatchObject({
      file,
      reason: expect.stringMatching(/^corrupt gzip/),
    });
  });

  it('rejects a JSON-only release that meets Python syntax', async () => {
    const [file] = plainAndGzip('raw-2014/reviews_Synthetic_Toys_5.json');
    await expect(collect(readAmazonReviews(file!, { format: '2018' }))).rejects.toMatchObject({
      line: 1,
      reason: expect.stringMatching(/^malformed JSON/),
    });
  });

  it('validates the format option when called, before any reading', () => {
    expect(() => readAmazonReviews('unused', { format: '2020' as '2018' })).toThrow(InvalidArgumentError);
  });
});
