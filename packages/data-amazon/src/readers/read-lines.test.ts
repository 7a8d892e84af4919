import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataFormatError, InvalidArgumentError } from '@imecd/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readLines, type TextLine } from './read-lines';

const dir = mkdtempSync(join(tmpdir(), 'imecd-read-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(file: string): Promise<TextLine[]> {
  const lines: TextLine[] = [];
  for await (const line of readLines(file)) lines.push(line);
  return lines;
}

/** Reads until the error and returns it with the lines that came before it. */
async function collectUntilError(file: string): Promise<{ lines: string[]; error: unknown }> {
  const lines: string[] = [];
  try {
    for await (const { text } of readLines(file)) lines.push(text);
  } catch (error) {
    return { lines, error };
  }
  throw new Error(`expected ${file} to fail`);
}

function write(name: string, content: string | Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('readLines', () => {
  it('splits \\n and \\r\\n, numbers lines from 1, keeps blank lines and a last line without break', async () => {
    const file = write('synthetic-plain.txt', '\ufeffalpha\r\nbeta\n\ngamma');
    expect(await collect(file)).toEqual([
      { text: 'alpha', line: 1 },
      { text: 'beta', line: 2 },
      { text: '', line: 3 },
      { text: 'gamma', line: 4 },
    ]);
  });

  it('with requireFinalNewline, reports a last line without a line break as a possibly cut file, naming file and line', async () => {
    const file = write('synthetic-cut.txt', '1 2 3\n4 5 6\n7 8');
    const lines: string[] = [];
    const error = await (async () => {
      try {
        for await (const { text } of readLines(file, { requireFinalNewline: true })) lines.push(text);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(lines).toEqual(['1 2 3', '4 5 6']);
    expect(error).toBeInstanceOf(DataFormatError);
    expect(error).toMatchObject({
      file,
      line: 3,
      reason: expect.stringMatching(/no line break after it, so the file may have been cut short \("7 8"\)/),
    });
    expect(await collect(write('synthetic-whole.txt', '1 2 3\n'))).toEqual([{ text: '1 2 3', line: 1 }]);
  });

  it('reads gzip by magic bytes, whatever the name, and plain text named .gz', async () => {
    const gzipNamedJson = write('synthetic-gzip.json', gzipSync('one\ntwo\n'));
    const plainNamedGz = write('synthetic-plain.json.gz', 'three\nfour\n');
    expect((await collect(gzipNamedJson)).map((line) => line.text)).toEqual(['one', 'two']);
    expect((await collect(plainNamedGz)).map((line) => line.text)).toEqual(['three', 'four']);
  });

  it('keeps multi-byte characters and long lines intact across read chunks', async () => {
    // 70,000 characters of "é" (2 bytes each) cross several 64 KiB chunks at odd byte offsets.
    const long = 'é'.repeat(70_000);
    const file = write('synthetic-long.txt.gz', gzipSync(`x${long}\n€\n`));
    const lines = await collect(file);
    expect(lines.map((line) => line.text.length)).toEqual([70_001, 1]);
    expect(lines[0]!.text).toBe(`x${long}`);
    expect(lines[1]!.text).toBe('€');
  });

  it('yields nothing for an empty file', async () => {
    expect(await collect(write('synthetic-empty.txt', ''))).toEqual([]);
  });

  it('stops reading when the consumer breaks early', async () => {
    const file = write(
      'synthetic-many.txt.gz',
      gzipSync(Array.from({ length: 1000 }, (_, i) => `row ${i}`).join('\n')),
    );
    const seen: string[] = [];
    for await (const { text } of readLines(file)) {
      seen.push(text);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(['row 0', 'row 1', 'row 2']);
  });

  it('names the line being read when a gzip is truncated', async () => {
    const content = Array.from({ length: 5000 }, (_, i) => `{"row": ${i}, "pad": "${'p'.repeat(i % 50)}"}`).join('\n');
    const whole = gzipSync(content);
    const file = write('synthetic-truncated.json.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const { lines, error } = await collectUntilError(file);
    expect(error).toBeInstanceOf(DataFormatError);
    const formatError = error as DataFormatError;
    expect(formatError.file).toBe(file);
    expect(formatError.line).toBe(lines.length + 1);
    expect(formatError.reason).toMatch(/^truncated gzip/);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines).toEqual(content.split('\n').slice(0, lines.length));
  });

  it('reports a corrupt gzip: a bad checksum, a bad header', async () => {
    const whole = gzipSync('a\nb\nc\n');
    const badChecksum = Buffer.from(whole);
    badChecksum[badChecksum.length - 8] = badChecksum[badChecksum.length - 8]! ^ 0xff; // first byte of the CRC-32 trailer
    const file = write('synthetic-bad-crc.gz', badChecksum);
    const checksumCase = await collectUntilError(file);
    // zlib may check the trailer before it hands over any text, so only the relation is fixed.
    expect(['a', 'b', 'c'].slice(0, checksumCase.lines.length)).toEqual(checksumCase.lines);
    expect(checksumCase.error).toBeInstanceOf(DataFormatError);
    expect(checksumCase.error).toMatchObject({
      file,
      line: checksumCase.lines.length + 1,
      reason: expect.stringMatching(/^corrupt gzip: incorrect data check/),
    });

    const badMethod = Buffer.from(whole);
    badMethod[2] = 7; // compression method must be 8 (deflate)
    const headerCase = await collectUntilError(write('synthetic-bad-header.gz', badMethod));
    expect(headerCase.lines).toEqual([]);
    expect(headerCase.error).toBeInstanceOf(DataFormatError);
    expect(headerCase.error).toMatchObject({ line: 1, reason: expect.stringMatching(/^corrupt gzip/) });
  });

  it('rejects a file that does not exist', async () => {
    await expect(collect(join(dir, 'no-such-file.txt'))).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('does not hold a big gzip file in memory', async () => {
    // 300k lines ≈ 50 MB of text, written as 30 gzip members of the same 10k lines (members may be
    // concatenated, and compressing once keeps the test fast). The heap may grow by garbage between
    // collections, but far less than the text if lines are not accumulated.
    const row = (i: number) =>
      `{"reviewerID": "U${i}", "asin": "I${i % 4999}", "unixReviewTime": ${1_400_000_000 + i}, "summary": "${'s'.repeat(100)}"}`;
    const block = `${Array.from({ length: 10_000 }, (_, i) => row(i)).join('\n')}\n`;
    const members = 30;
    const member = gzipSync(block, { level: 1 });
    const file = write('synthetic-big.json.gz', Buffer.concat(Array.from({ length: members }, () => member)));
    const textBytes = Buffer.byteLength(block) * members;

    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    let count = 0;
    let lastLine = '';
    for await (const { text, line } of readLines(file)) {
      count++;
      lastLine = text;
      if (line % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(count).toBe(10_000 * members);
    expect(lastLine).toBe(row(9_999));
    expect(peak - baseline).toBeLessThan(textBytes / 2);
  });
});
