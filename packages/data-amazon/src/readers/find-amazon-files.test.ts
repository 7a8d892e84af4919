import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '@imecd/core';
import { afterAll, describe, expect, it } from 'vitest';
import { findAmazonFiles } from './find-amazon-files';

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'imecd-find-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder holding empty files with the given names. */
function folder(name: string, files: string[]): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const file of files) writeFileSync(join(dir, file), '');
  return dir;
}

describe('findAmazonFiles', () => {
  it('finds each release in the synthetic fixtures', () => {
    const at = (release: string) => join(fixtures, release);
    expect(findAmazonFiles(at('raw-2018'))).toEqual({
      reviews: join(at('raw-2018'), 'Synthetic_Toys_5.json'),
      meta: join(at('raw-2018'), 'meta_Synthetic_Toys.json'),
      format: '2018',
      category: 'Synthetic_Toys',
    });
    expect(findAmazonFiles(at('raw-2014'))).toEqual({
      reviews: join(at('raw-2014'), 'reviews_Synthetic_Toys_5.json'),
      meta: join(at('raw-2014'), 'meta_Synthetic_Toys.json'),
      format: '2014',
      category: 'Synthetic_Toys',
    });
    expect(findAmazonFiles(at('raw-2023'))).toEqual({
      reviews: join(at('raw-2023'), 'Synthetic_Toys.jsonl'),
      meta: join(at('raw-2023'), 'meta_Synthetic_Toys.jsonl'),
      format: '2023',
      category: 'Synthetic_Toys',
    });
  });

  it('prefers the gzip copy and ignores partial downloads and other files', () => {
    const dir = folder('gzip-first', [
      'Video_Games_5.json',
      'Video_Games_5.json.gz',
      'Video_Games_5.json.gz.part',
      'meta_Video_Games.json',
      'meta_Video_Games.json.gz',
      'checksums.json',
      'notes.txt',
    ]);
    expect(findAmazonFiles(dir)).toEqual({
      reviews: join(dir, 'Video_Games_5.json.gz'),
      meta: join(dir, 'meta_Video_Games.json.gz'),
      format: '2018',
      category: 'Video_Games',
    });
  });

  it('treats meta as optional and never takes it for reviews', () => {
    const dir = folder('no-meta', ['All_Beauty.jsonl.gz', 'meta_Other.jsonl']);
    expect(findAmazonFiles(dir)).toEqual({
      reviews: join(dir, 'All_Beauty.jsonl.gz'),
      format: '2023',
      category: 'All_Beauty',
    });
    expect(findAmazonFiles(folder('meta-only', ['meta_Toys_and_Games.json.gz']))).toBeUndefined();
  });

  it('returns undefined for an empty or missing folder', () => {
    expect(findAmazonFiles(folder('empty', []))).toBeUndefined();
    expect(findAmazonFiles(join(root, 'not-there'))).toBeUndefined();
  });

  it('refuses a folder with several datasets and a path that is a file', () => {
    const dir = folder('two', ['Toys_and_Games_5.json.gz', 'reviews_Toys_and_Games_5.json.gz']);
    expect(() => findAmazonFiles(dir)).toThrow(InvalidArgumentError);
    expect(() => findAmazonFiles(dir)).toThrow(/Toys_and_Games \(2018\), Toys_and_Games \(2014\)/);
    expect(() => findAmazonFiles(join(dir, 'Toys_and_Games_5.json.gz'))).toThrow(/ENOTDIR/);
  });
});
