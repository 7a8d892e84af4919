import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '@imecd/core';
import type { AmazonFormat } from './amazon-format';

/** Raw Amazon files found in one folder. */
export interface AmazonFiles {
  reviews: string;
  meta?: string;
  format: AmazonFormat;
  /** The official category name, e.g. "Toys_and_Games". */
  category: string;
}

/** Official review file names, most specific first: a 2014 name also fits the 2018 pattern. */
const REVIEW_PATTERNS: { format: AmazonFormat; pattern: RegExp; metaExtension: string }[] = [
  { format: '2014', pattern: /^reviews_(.+)_5\.json(\.gz)?$/, metaExtension: 'json' },
  { format: '2018', pattern: /^(.+)_5\.json(\.gz)?$/, metaExtension: 'json' },
  { format: '2023', pattern: /^(.+)\.jsonl(\.gz)?$/, metaExtension: 'jsonl' },
];

/**
 * Finds raw Amazon files in `dir` by their official names:
 * - 2014: `reviews_<Category>_5.json[.gz]` + `meta_<Category>.json[.gz]`
 * - 2018: `<Category>_5.json[.gz]` + `meta_<Category>.json[.gz]`
 * - 2023: `<Category>.jsonl[.gz]` + `meta_<Category>.jsonl[.gz]`
 *
 * Meta is optional. When a file is there both plain and gzipped, the `.gz` (the downloaded,
 * checksummed one) wins. Returns undefined when the folder holds no review file or does not
 * exist; throws `InvalidArgumentError` when it holds reviews of more than one category or
 * release, since picking one silently could load the wrong data.
 */
export function findAmazonFiles(dir: string): AmazonFiles | undefined {
  const names = listFolder(dir);
  if (names === undefined) return undefined;
  const found = new Map<string, AmazonFiles>();
  for (const name of [...names].sort()) {
    if (name.startsWith('meta_')) continue;
    const match = REVIEW_PATTERNS.map((entry) => ({ entry, groups: entry.pattern.exec(name) })).find(
      ({ groups }) => groups !== null,
    );
    if (match === undefined || match.groups === null) continue;
    const category = match.groups[1]!;
    const { format, metaExtension } = match.entry;
    const key = `${format}/${category}`;
    const previous = found.get(key);
    if (previous?.reviews.endsWith('.gz')) continue;
    const meta = pickGzipFirst(names, `meta_${category}.${metaExtension}`);
    found.set(key, {
      reviews: join(dir, name),
      format,
      category,
      ...(meta === undefined ? {} : { meta: join(dir, meta) }),
    });
  }
  if (found.size > 1) {
    const listed = [...found.values()].map((files) => `${files.category} (${files.format})`).join(', ');
    throw new InvalidArgumentError(
      'dir',
      `${dir} holds review files of several datasets: ${listed}; keep one per folder`,
    );
  }
  return found.values().next().value;
}

function listFolder(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InvalidArgumentError(
      'dir',
      `cannot list ${dir} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`,
      { cause: error },
    );
  }
}

function pickGzipFirst(names: readonly string[], plainName: string): string | undefined {
  if (names.includes(`${plainName}.gz`)) return `${plainName}.gz`;
  return names.includes(plainName) ? plainName : undefined;
}
