#!/usr/bin/env node
// Records the size and sha256 of every data file of a shipped dataset in datasets/<name>/checksums.json,
// which `loadDataset` checks before reading the folder. Run after deliberately changing a shipped file
// (and update the sha256 list of its PROVENANCE.md to match: a test compares the two). After `pnpm build`:
//   node scripts/write-dataset-checksums.mjs toys [games …]
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKSUMS_FILE, writeChecksums } from '../packages/data-amazon/dist/index.js';

const names = process.argv.slice(2);
if (names.length === 0) {
  process.stderr.write('usage: node scripts/write-dataset-checksums.mjs NAME [NAME …]  (folders of datasets/)\n');
  process.exit(2);
}
const root = fileURLToPath(new URL('../datasets/', import.meta.url));
for (const name of names) {
  const dir = join(root, name);
  const files = (await readdir(dir, { withFileTypes: true })).filter(
    (entry) => entry.isFile() && entry.name !== CHECKSUMS_FILE && entry.name !== 'PROVENANCE.md',
  );
  const entries = new Map();
  for (const { name: file } of files) {
    const bytes = await readFile(join(dir, file)); // shipped files are small (tens of MB at most)
    entries.set(file, {
      name: file,
      bytes: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  }
  await writeChecksums(dir, entries);
  process.stderr.write(`${join(dir, CHECKSUMS_FILE)}: ${entries.size} files\n`);
}
