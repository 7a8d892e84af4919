import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@imecd/backend';
import type { SequenceDataset } from '@imecd/data-amazon';

/** Tests run on the pure-JS cpu backend with the project's fast kernels registered. */
export async function useCpuBackend(): Promise<void> {
  await selectBackend({ backend: 'cpu', env: {} });
}

/** User u's SYNTHETIC walk (not real data): items u % 5 + 1, +5, +10, … so the next item follows from the last. */
function walk(user: number, items: number, length: number): number[] {
  return Array.from({ length }, (_, step) => (((user % 5) + 5 * step + Math.floor(user / 5)) % items) + 1);
}

/** The synthetic walks as a sequential.txt dataset folder. */
export function writeSyntheticDataset(users = 60, items = 40, length = 9): string {
  const dir = mkdtempSync(join(tmpdir(), 'imecd-synthetic-'));
  const lines = Array.from({ length: users }, (_, user) => `${user + 1} ${walk(user, items, length).join(' ')}`);
  writeFileSync(join(dir, 'sequential.txt'), `${lines.join('\n')}\n`);
  return dir;
}

/** The synthetic walks as a loaded dataset, with the given features. */
export function syntheticDataset(features: SequenceDataset['features'] = {}, users = 20, items = 12): SequenceDataset {
  return {
    name: 'synthetic',
    layout: 'sequential-txt',
    numUsers: users,
    numItems: items,
    sequences: Array.from({ length: users }, (_, user) => Int32Array.from(walk(user, items, 6))),
    userKeys: Array.from({ length: users }, (_, user) => String(user + 1)),
    itemKeys: ['', ...Array.from({ length: items }, (_, item) => String(item + 1))],
    features,
  };
}
