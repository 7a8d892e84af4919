import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFormatError } from '@imecd/core';
import { writeFileAtomic } from '@imecd/core/node';
import { sha256OfFile } from './file-sha256';

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
    if (
      typeof name !== 'string' ||
      !Number.isSafeInteger(bytes) ||
      typeof sha256 !== 'string' ||
      !/^[0-9a-f]{64}$/.test(sha256)
    ) {
      throw new DataFormatError(
        file,
        undefined,
        `files[${index}] needs a name, a whole number of bytes and a lowercase hex sha256`,
      );
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

/** Files verified in this process, by path, size and mtime: a second load does not hash them again. */
const verified = new Set<string>();

/**
 * Checks every file `<dir>/checksums.json` lists against its recorded size and sha256, in the
 * manifest's order, and throws a `DataFormatError` naming the first file that is missing or
 * differs (a cut file is caught by its size without hashing). A folder without a manifest passes.
 * A file already verified in this process with the same size and modification time is not hashed
 * again. Returns the number of files checked.
 */
export async function verifyChecksums(dir: string): Promise<number> {
  const entries = await readChecksums(dir);
  const manifest = join(dir, CHECKSUMS_FILE);
  for (const { name, bytes, sha256 } of entries.values()) {
    const file = join(dir, name);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(file);
    } catch (error) {
      throw new DataFormatError(
        file,
        undefined,
        `listed in ${manifest} but missing (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
        { cause: error },
      );
    }
    const key = `${file}\0${info.size}\0${info.mtimeMs}`;
    if (verified.has(key)) continue;
    if (info.size !== bytes) {
      throw new DataFormatError(
        file,
        undefined,
        `${info.size} bytes, but ${manifest} records ${bytes}: the file was ${info.size < bytes ? 'cut short' : 'changed'} since it was recorded`,
      );
    }
    const actual = await sha256OfFile(file);
    if (actual.sha256 !== sha256) {
      throw new DataFormatError(
        file,
        undefined,
        `sha256 ${actual.sha256} ≠ ${sha256} recorded in ${manifest}: the file changed since it was recorded`,
      );
    }
    verified.add(key);
  }
  return entries.size;
}
