import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFormatError } from '@imecd/core';
import { writeFileAtomic } from '../write-file-atomic';

/** The manifest's name inside a download folder. */
export const CHECKSUMS_FILE = 'checksums.json';

/** One verified file of a download folder. */
export interface ChecksumEntry {
  /** The file name inside the folder (no path). */
  name: string;
  bytes: number;
  /** Lowercase hex sha256. */
  sha256: string;
}

/**
 * Reads `<dir>/checksums.json`, the manifest written beside downloaded files:
 * `{ "files": [{ "name": "Video_Games_5.json.gz", "bytes": 123, "sha256": "ab…" }, …] }`.
 * A missing manifest is an empty one; a malformed one is a `DataFormatError`.
 */
export async function readChecksums(dir: string): Promise<Map<string, ChecksumEntry>> {
  const file = join(dir, CHECKSUMS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DataFormatError(file, undefined, `malformed JSON: ${(error as Error).message}`, { cause: error });
  }
  const files = (parsed as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) throw new DataFormatError(file, undefined, 'expected an object with a "files" list');
  const entries = new Map<string, ChecksumEntry>();
  files.forEach((entry: Partial<ChecksumEntry> | null, index) => {
    const { name, bytes, sha256 } = entry ?? {};
    if (typeof name !== 'string' || !Number.isSafeInteger(bytes) || typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
      throw new DataFormatError(file, undefined, `files[${index}] needs a name, a whole number of bytes and a lowercase hex sha256`);
    }
    entries.set(name, { name, bytes: bytes!, sha256 });
  });
  return entries;
}

/** Writes the manifest, sorted by name, through a temporary file so it is never half-written. */
export async function writeChecksums(dir: string, entries: ReadonlyMap<string, ChecksumEntry>): Promise<void> {
  const file = join(dir, CHECKSUMS_FILE);
  const files = [...entries.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) // code-unit order: the same on every machine
    .map(({ name, bytes, sha256 }) => ({ name, bytes, sha256 }));
  await writeFileAtomic(file, `${JSON.stringify({ files }, null, 2)}\n`);
}
