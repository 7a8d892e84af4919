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

/** `--set key=value` for each setting, in order. */
export function setFlags(settings: Readonly<Record<string, number | string>>): string[] {
  return Object.entries(settings).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
}

/** A SASRec small enough to train on the synthetic dataset in seconds. */
export const SMALL_SASREC = { hiddenSize: 16, innerSize: 32, maxLength: 10, batchSize: 16, learningRate: 0.01 };

/** Smaller still, for runs whose numbers do not matter (IMECD's parts included). */
export const TINY_MODEL = { hiddenSize: 8, innerSize: 16, maxLength: 6, batchSize: 32 };
