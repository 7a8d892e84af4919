import { rename, writeFile } from 'node:fs/promises';

/**
 * Writes `file` through a temporary sibling and a rename, so readers see the old or the new file, never half of one.
 *
 * Node only (node:fs): it lives in the `@imecd/core/node` entry, not in `@imecd/core`, so that
 * importing `@imecd/core` in a browser bundle never pulls in a Node built-in.
 */
export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}
