import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { DataFormatError, InvalidArgumentError } from '@imecd/core';
import { verifyChecksums } from '../download/checksums';
import { findAmazonFiles } from '../readers/index';
import type { SequenceDataset } from '../types';
import type { LayoutOptions } from './layout-options';
import { loadAmazonRaw } from './load-amazon-raw';
import { loadLcrecInterJson } from './load-lcrec-inter-json';
import { loadRecboleAtomic } from './load-recbole-atomic';
import { loadSequentialTxt } from './load-sequential-txt';

/** The on-disk layouts `loadDataset` reads; the README describes each one's files. */
export type DatasetLayout = 'sequential-txt' | 'lcrec-inter-json' | 'recbole-atomic' | 'amazon-raw';

const LAYOUTS: readonly DatasetLayout[] = ['recbole-atomic', 'lcrec-inter-json', 'sequential-txt', 'amazon-raw'];

/** What each layout is recognised by, in the order detection tries them. */
const LOOKED_FOR: Record<DatasetLayout, string> = {
  'recbole-atomic': '<Name>.test.inter or <Name>.inter (recbole-atomic)',
  'lcrec-inter-json': '<Name>.inter.json (lcrec-inter-json)',
  'sequential-txt': 'sequential.txt (sequential-txt)',
  'amazon-raw': 'reviews_<Category>_5.json[.gz], <Category>_5.json[.gz] or <Category>.jsonl[.gz] (amazon-raw)',
};

export interface LoadDatasetOptions {
  /** Which layout to read; 'auto' detects it (recbole-atomic, then lcrec-inter-json, sequential-txt, amazon-raw). Default 'auto'. */
  layout?: DatasetLayout | 'auto';
  /** Dataset name. Default: the file prefix (recbole-atomic, lcrec-inter-json), the folder name (sequential-txt), the category (amazon-raw). */
  name?: string;
  /** Iterative k-core threshold for users and items; 0 or 1 = off. Default 5, which leaves the shipped datasets unchanged. */
  kCore?: number;
  /** Keep only the earliest of repeated user–item interactions. Default false. */
  dedupe?: boolean;
  /** amazon-raw only: drop items that the meta file lacks. Default: true when a meta file is present. */
  dropItemsWithoutMeta?: boolean;
  /** Read the feature files found in the folder (see `discoverFeatureFiles`). Default true. */
  features?: boolean;
  /**
   * Check the files a `checksums.json` in the folder lists (every shipped dataset has one) against
   * their recorded size and sha256 before reading anything, and fail naming the first that differs.
   * Default true; a folder without the manifest is read as it is.
   */
  verify?: boolean;
}

/** A recognised layout and the `<Name>` prefix of its files (the folder name for sequential-txt, the category for amazon-raw). */
export interface DetectedLayout {
  layout: DatasetLayout;
  prefix: string;
}

/**
 * Reads a dataset folder in any supported layout through `buildSequenceDataset`, after checking
 * its files against the folder's `checksums.json` when it has one.
 */
export async function loadDataset(dir: string, options: LoadDatasetOptions = {}): Promise<SequenceDataset> {
  const {
    layout = 'auto',
    name,
    kCore = 5,
    dedupe = false,
    dropItemsWithoutMeta,
    features = true,
    verify = true,
  } = options;
  if (layout !== 'auto' && !LAYOUTS.includes(layout)) {
    throw new InvalidArgumentError(
      'layout',
      `expected "auto" or one of ${LAYOUTS.join(', ')}, got ${JSON.stringify(layout)}`,
    );
  }
  if (name !== undefined && (typeof name !== 'string' || name === ''))
    throw new InvalidArgumentError('name', 'expected a non-empty string');
  if (typeof verify !== 'boolean')
    throw new InvalidArgumentError('verify', `expected a boolean, got ${JSON.stringify(verify)}`);
  const detected = await detectLayout(dir, layout === 'auto' ? LAYOUTS : [layout]);
  if (detected === undefined) {
    const lookedFor = layout === 'auto' ? LAYOUTS.map((entry) => LOOKED_FOR[entry]).join('; ') : LOOKED_FOR[layout];
    throw new DataFormatError(dir, undefined, `no recognised dataset layout; looked for ${lookedFor}`);
  }
  if (verify) await verifyChecksums(dir);
  const layoutOptions: LayoutOptions = { name, kCore, dedupe, dropItemsWithoutMeta, features };
  switch (detected.layout) {
    case 'recbole-atomic':
      return loadRecboleAtomic(dir, detected.prefix, layoutOptions);
    case 'lcrec-inter-json':
      return loadLcrecInterJson(dir, detected.prefix, layoutOptions);
    case 'sequential-txt':
      return loadSequentialTxt(dir, layoutOptions);
    case 'amazon-raw':
      return loadAmazonRaw(dir, layoutOptions);
  }
}

/**
 * The first of `candidates` whose files are in `dir`, or undefined. Two prefixes for one layout
 * (say `A.inter.json` and `B.inter.json`) are a DataFormatError: the folder is ambiguous.
 */
export async function detectLayout(
  dir: string,
  candidates: readonly DatasetLayout[] = LAYOUTS,
): Promise<DetectedLayout | undefined> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    throw new InvalidArgumentError(
      'dir',
      `cannot list ${dir} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`,
      { cause: error },
    );
  }
  for (const layout of candidates) {
    const prefix = findPrefix(layout, dir, names);
    if (prefix !== undefined) return { layout, prefix };
  }
  return undefined;
}

function findPrefix(layout: DatasetLayout, dir: string, names: readonly string[]): string | undefined {
  switch (layout) {
    case 'recbole-atomic': {
      const downstream = prefixesOf(names, '.test.inter');
      if (downstream.length > 0) return onlyPrefix(dir, downstream, layout);
      return onlyPrefix(
        dir,
        prefixesOf(names, '.inter').filter((prefix) => !/\.(train|valid)$/.test(prefix)),
        layout,
      );
    }
    case 'lcrec-inter-json':
      return onlyPrefix(dir, prefixesOf(names, '.inter.json'), layout);
    case 'sequential-txt':
      return names.includes('sequential.txt') ? basename(dir) : undefined;
    case 'amazon-raw':
      return findAmazonFiles(dir)?.category;
  }
}

function prefixesOf(names: readonly string[], suffix: string): string[] {
  return names
    .filter((name) => name.endsWith(suffix) && name.length > suffix.length)
    .map((name) => name.slice(0, -suffix.length));
}

function onlyPrefix(dir: string, prefixes: string[], layout: DatasetLayout): string | undefined {
  if (prefixes.length > 1)
    throw new DataFormatError(
      dir,
      undefined,
      `several ${layout} datasets in one folder: ${prefixes.join(', ')}; keep one per folder`,
    );
  return prefixes[0];
}
