import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DataFormatError } from '@imecd/core';
import type { FeatureMatrix, SequenceDataset } from '../types';
import { readFeatureMatrix } from './read-feature-matrix';
import { readJsonFile } from './read-json-file';

/** The `format` tag of a manifest written by @imecd/features. */
export const FEATURE_MANIFEST_FORMAT = 'imecd-features/1';

/** Suffix of a manifest: `<modality>.manifest.json` beside `<modality>.f32` and `<modality>.mask`. */
export const FEATURE_MANIFEST_SUFFIX = '.manifest.json';

/**
 * What `<modality>.manifest.json` says about a feature file written for one dataset. The values
 * file is raw little-endian float32, `itemCount` rows × `dim`, row r = item id r + 1 (no padding
 * row); the mask file has one byte per row, 1 = encoded, 0 = missing (its row is zeros).
 */
export interface FeatureManifest {
  format: typeof FEATURE_MANIFEST_FORMAT;
  modality: string;
  /** Values file name, relative to the manifest's folder. */
  values: string;
  /** Mask file name, relative to the manifest's folder. */
  mask: string;
  itemCount: number;
  dim: number;
  /** Items whose mask byte is 0. */
  missingCount: number;
  modelName: string;
  /** Model version: a commit, a file hash, or the encoder's own version string. */
  modelRevision: string;
  /** How token or patch vectors became one vector, e.g. "cls", "mean", "tfidf-projection". */
  pooling: string;
  /** sha256 (hex) of the values file. */
  sha256: string;
  datasetName: string;
  /** `datasetFingerprint(dataset.itemKeys)` of the dataset the rows are aligned with. */
  datasetFingerprint: string;
}

/**
 * sha256 over the item count and the item keys in id order: two datasets share it exactly when
 * their item ids mean the same items (a different k-core or mapping changes it).
 */
export function datasetFingerprint(itemKeys: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(`${itemKeys.length - 1}\n`);
  for (let id = 1; id < itemKeys.length; id++) hash.update(`${itemKeys[id]}\n`);
  return `sha256:${hash.digest('hex')}`;
}

const STRING_FIELDS = [
  'modality',
  'values',
  'mask',
  'modelName',
  'modelRevision',
  'pooling',
  'sha256',
  'datasetName',
  'datasetFingerprint',
] as const;
const COUNT_FIELDS = ['itemCount', 'dim', 'missingCount'] as const;

/** Reads and shape-checks a manifest; every problem is a DataFormatError naming the file. */
export async function readFeatureManifest(file: string): Promise<FeatureManifest> {
  const value = (await readJsonFile(file)) as Record<string, unknown> | null;
  const fail = (reason: string): never => {
    throw new DataFormatError(file, undefined, reason);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('expected a JSON object');
  if (value.format !== FEATURE_MANIFEST_FORMAT)
    fail(`"format" must be "${FEATURE_MANIFEST_FORMAT}", got ${JSON.stringify(value.format)}`);
  for (const key of STRING_FIELDS)
    if (typeof value[key] !== 'string' || value[key] === '') fail(`"${key}" must be a non-empty string`);
  for (const key of COUNT_FIELDS) {
    const count = value[key];
    if (typeof count !== 'number' || !Number.isInteger(count) || count < (key === 'missingCount' ? 0 : 1)) {
      fail(
        `"${key}" must be a ${key === 'missingCount' ? 'non-negative' : 'positive'} integer, got ${JSON.stringify(count)}`,
      );
    }
  }
  const manifest = value as unknown as FeatureManifest;
  const expectedModality = basename(file).slice(0, -FEATURE_MANIFEST_SUFFIX.length);
  if (manifest.modality !== expectedModality)
    fail(`"modality" is "${manifest.modality}" but the file name says "${expectedModality}"`);
  // Fixed names, so that discovery can tell which `.f32` file a manifest describes.
  if (manifest.values !== `${expectedModality}.f32`)
    fail(`"values" must be "${expectedModality}.f32", got "${manifest.values}"`);
  if (manifest.mask !== `${expectedModality}.mask`)
    fail(`"mask" must be "${expectedModality}.mask", got "${manifest.mask}"`);
  if (manifest.missingCount > manifest.itemCount)
    fail(`"missingCount" ${manifest.missingCount} exceeds "itemCount" ${manifest.itemCount}`);
  return manifest;
}

/**
 * Reads the features a manifest describes and checks them: first against the manifest (the values
 * file's size and sha256, the mask's length and missing count), then against `dataset` (item count
 * and fingerprint: the rows mean these items). Any mismatch is a DataFormatError naming the file
 * that disagrees; one with the dataset says that the feature files are intact, so the interaction
 * side changed (or the features belong to another dataset).
 */
export async function readManifestFeatures(manifestFile: string, dataset: SequenceDataset): Promise<FeatureMatrix> {
  const manifest = await readFeatureManifest(manifestFile);
  const folder = dirname(manifestFile);
  const valuesFile = join(folder, manifest.values);
  const maskFile = join(folder, manifest.mask);
  const fail = (file: string, reason: string): never => {
    throw new DataFormatError(file, undefined, reason);
  };
  // The feature files first: when they are intact as written, a disagreement with the dataset
  // below can only come from the interaction side (or features copied from another dataset).
  const bytes = await readFile(valuesFile).catch((error: NodeJS.ErrnoException) =>
    fail(valuesFile, `named by ${basename(manifestFile)} but unreadable (${error.code ?? error.message})`),
  );
  const expectedBytes = 4 * manifest.itemCount * manifest.dim;
  if (bytes.byteLength !== expectedBytes) {
    fail(
      valuesFile,
      `byte length ${bytes.byteLength} ≠ 4 · ${manifest.itemCount} items · ${manifest.dim} dims = ${expectedBytes} stated by ${basename(manifestFile)}`,
    );
  }
  const checksum = createHash('sha256').update(bytes).digest('hex');
  if (checksum !== manifest.sha256)
    fail(
      valuesFile,
      `sha256 ${checksum} ≠ ${manifest.sha256} stated by ${basename(manifestFile)} (file changed or truncated)`,
    );
  const mask = await readFile(maskFile).catch((error: NodeJS.ErrnoException) =>
    fail(maskFile, `named by ${basename(manifestFile)} but unreadable (${error.code ?? error.message})`),
  );
  if (mask.byteLength !== manifest.itemCount)
    fail(maskFile, `${mask.byteLength} bytes, expected one per item (${manifest.itemCount})`);
  let missing = 0;
  mask.forEach((flag, row) => {
    if (flag > 1) fail(maskFile, `byte ${row} is ${flag}; expected 0 (missing) or 1 (encoded)`);
    if (flag === 0) missing++;
  });
  if (missing !== manifest.missingCount)
    fail(maskFile, `${missing} items are missing but ${basename(manifestFile)} says ${manifest.missingCount}`);
  const intact = `the feature files are intact as written (sha256 matches) for ${manifest.itemCount} items of "${manifest.datasetName}"`;
  const interactionsChanged = `the interaction files in ${folder} changed since the features were written (cut short or edited?), or these features belong to another dataset; restore the interactions, or re-run the feature writer for this dataset`;
  if (manifest.itemCount !== dataset.numItems) {
    fail(
      manifestFile,
      `${intact}, but the interactions give dataset "${dataset.name}" ${dataset.numItems} items: ${interactionsChanged}`,
    );
  }
  if (manifest.datasetFingerprint !== datasetFingerprint(dataset.itemKeys)) {
    fail(
      manifestFile,
      `${intact}, but dataset "${dataset.name}" has other item ids (fingerprint differs: another k-core, mapping or dataset): ${interactionsChanged}`,
    );
  }

  const matrix = await readFeatureMatrix(valuesFile, {
    numItems: dataset.numItems,
    modality: manifest.modality,
    dim: manifest.dim,
  });
  // Missing items keep their zero row but must not count as described.
  mask.forEach((flag, row) => {
    if (flag === 0) matrix.mask[row + 1] = 0;
  });
  return matrix;
}
