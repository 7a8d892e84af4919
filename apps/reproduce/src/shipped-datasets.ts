import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from './cli-io';
import { UsageError } from './usage-error';

/**
 * The real Amazon datasets that ship inside the repository (folder `datasets/`, each with its
 * PROVENANCE.md). `scientific` is the default: the only one with text and image features.
 */
export const SHIPPED_DATASETS = {
  scientific: { folder: 'scientific', summary: 'Amazon 2018 Industrial & Scientific, text + image features (512-d)' },
  toys: { folder: 'toys', summary: 'Amazon 2014 Toys & Games 5-core (S3-Rec/P5 split), attribute ids' },
  instruments: { folder: 'instruments', summary: 'Amazon 2018 Musical Instruments 5-core (LC-Rec)' },
  'instruments-mm': {
    folder: 'instruments-mm',
    summary:
      'Amazon 2018 Musical Instruments, items with an image and a description (MQL4GRec), image and text codes (4 × 256 per item)',
  },
  games: {
    folder: 'games',
    summary:
      'Amazon 2018 Video Games 5-core (LC-Rec), item titles, TF-IDF text features (256-d), image and text codes (4 × 256) for 13,839 of its items',
  },
} as const;

export type ShippedDatasetName = keyof typeof SHIPPED_DATASETS;
export const DEFAULT_DATASET: ShippedDatasetName = 'scientific';

/** `datasets/` of the repository: this file sits two folders below the app root in src/ and dist/. */
export function datasetsRoot(env: Record<string, string | undefined>): string {
  if (env.IMECD_DATASETS_DIR) return resolve(env.IMECD_DATASETS_DIR);
  return fileURLToPath(new URL('../../../datasets/', import.meta.url));
}

/** The folder of a shipped dataset in this checkout (or under `IMECD_DATASETS_DIR`). */
export function shippedDatasetFolder(name: ShippedDatasetName, env: Record<string, string | undefined>): string {
  return join(datasetsRoot(env), SHIPPED_DATASETS[name].folder);
}

export function isShippedDataset(name: string): name is ShippedDatasetName {
  return Object.hasOwn(SHIPPED_DATASETS, name);
}

/** Resolves `--dataset NAME` / `--data-dir DIR` to a folder and a display name. */
export function resolveDatasetFolder(
  flags: { dataset?: string | undefined; 'data-dir'?: string | undefined },
  io: Pick<CliIo, 'env' | 'cwd'>,
): { name: string; dir: string } {
  const dataDir = flags['data-dir'];
  if (dataDir !== undefined) {
    const dir = resolve(io.cwd, dataDir);
    if (!existsSync(dir)) throw new UsageError(`--data-dir ${dataDir}: no such folder (${dir})`);
    return { name: flags.dataset ?? dir.split(/[\\/]/).filter(Boolean).pop() ?? 'custom', dir };
  }
  const name = flags.dataset ?? DEFAULT_DATASET;
  if (!isShippedDataset(name)) {
    throw new UsageError(
      `unknown dataset "${name}". Shipped: ${Object.keys(SHIPPED_DATASETS).join(', ')}; or pass --data-dir DIR for your own.`,
    );
  }
  return { name, dir: shippedDatasetFolder(name, io.env) };
}
