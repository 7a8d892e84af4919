import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A SYNTHETIC dataset in the sequential.txt layout (not real data): user u walks the items
 * u % 5 + 1, +5, +10, … so the next item follows from the last one and a model can learn it.
 */
export function writeSyntheticDataset(users = 60, items = 40, length = 9): string {
  const dir = mkdtempSync(join(tmpdir(), 'imecd-synthetic-'));
  const lines = Array.from({ length: users }, (_, user) => {
    const walk = Array.from({ length }, (_, step) => (((user % 5) + 5 * step + Math.floor(user / 5)) % items) + 1);
    return `${user + 1} ${walk.join(' ')}`;
  });
  writeFileSync(join(dir, 'sequential.txt'), `${lines.join('\n')}\n`);
  return dir;
}
