import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, type SequenceDataset } from '@imecd/data-amazon';
import type { ImageEncoder, TextEncoder } from '../src/encoder';

const folders: string[] = [];

/** A fresh temporary folder; `removeTemporaryFolders` (afterAll) deletes them all. */
export async function temporaryFolder(prefix = 'imecd-features-'): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

export async function removeTemporaryFolders(): Promise<void> {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
}

/**
 * A SYNTHETIC dataset folder (sequential-txt + items.tsv with titles, not real data): `items`
 * items, one user per item walking 4 items from it; item 3 has no title (a missing text).
 */
export async function writeSyntheticDataset(items = 10): Promise<{ dir: string; dataset: SequenceDataset }> {
  const dir = await temporaryFolder('imecd-synthetic-');
  const lines = Array.from(
    { length: items },
    (_, user) => `${user + 1} ${[0, 1, 2, 3].map((step) => ((user + step) % items) + 1).join(' ')}`,
  );
  await writeFile(join(dir, 'sequential.txt'), `${lines.join('\n')}\n`);
  const rows = Array.from(
    { length: items },
    (_, index) => `${index + 1}\tSYN${index + 1}\t${index === 2 ? '' : `synthetic item ${index + 1} toy car`}`,
  );
  await writeFile(join(dir, 'items.tsv'), `item_id\tasin\ttitle\n${rows.join('\n')}\n`);
  const dataset = await loadDataset(dir, { kCore: 0 });
  return { dir, dataset };
}

/**
 * A small DETERMINISTIC TEST text encoder (not a model): row = [length, vowel count, 1, item
 * marker], so tests can tell rows apart and count calls. `calls` records every batch it saw.
 */
export function createCountingTestTextEncoder(): TextEncoder & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    dim: 4,
    modelName: 'test/counting-text-encoder',
    revision: '1',
    pooling: 'none',
    calls,
    async encode(texts) {
      calls.push([...texts]);
      const out = new Float32Array(texts.length * 4);
      texts.forEach((text, row) => {
        out.set([text.length, (text.match(/[aeiou]/g) ?? []).length, 1, Number(/\d+/.exec(text)?.[0] ?? 0)], row * 4);
      });
      return out;
    },
  };
}

/**
 * A small DETERMINISTIC TEST image encoder (not a model): row = [byte count, byte sum / 1000,
 * last character code, 1]. It rejects bytes that do not start with "IMG:", like a decoder would.
 */
export function createByteSumTestImageEncoder(): ImageEncoder & { calls: number[] } {
  const calls: number[] = [];
  return {
    dim: 4,
    modelName: 'test/byte-sum-image-encoder',
    revision: '1',
    pooling: 'none',
    calls,
    async encode(images) {
      calls.push(images.length);
      const out = new Float32Array(images.length * 4);
      images.forEach(({ bytes }, row) => {
        if (Buffer.from(bytes.subarray(0, 4)).toString() !== 'IMG:') throw new Error('cannot decode image');
        out.set(
          [bytes.length, bytes.reduce((sum, byte) => sum + byte, 0) / 1000, bytes[bytes.length - 1]!, 1],
          row * 4,
        );
      });
      return out;
    },
  };
}
