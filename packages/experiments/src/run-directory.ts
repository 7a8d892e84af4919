import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DataFormatError } from '@imecd/core';
import { writeFileAtomic } from '@imecd/core/node';

/** `runs/<UTC time>-<model>-<dataset>`: one folder per train command, one subfolder per seed. */
export async function createRunDirectory(
  root: string,
  model: string,
  dataset: string,
  now = new Date(),
): Promise<string> {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const base = resolve(root, `${stamp}-${model}-${dataset.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
  let dir = base;
  for (let suffix = 2; existsSync(dir); suffix++) dir = `${base}-${suffix}`;
  await mkdir(dir, { recursive: true });
  return dir;
}

/** `<runDir>/seed-<seed>`: one seed's checkpoint, history and metrics. */
export function seedDirectory(runDir: string, seed: number): string {
  return join(runDir, `seed-${seed}`);
}

/** Writes JSON through a temporary file and a rename, so readers never see half a file. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** A JSON file of a run folder; one that cannot be read or parsed is a DataFormatError naming it. */
export async function readJson<T>(file: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DataFormatError(file, undefined, 'cannot be read (is this a run folder?)', { cause: error });
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new DataFormatError(file, undefined, `is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
