import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFormatError } from '@imecd/core';
import { FEATURE_MANIFEST_SUFFIX } from './feature-manifest';
import { readJsonFile } from './read-json-file';

/** A feature file found in a dataset folder. */
export interface FeatureFileEntry {
  modality: string;
  file: string;
  /** Floats per row when the manifest states it; otherwise inferred when the file is read. */
  dim?: number;
  /** The `<modality>.manifest.json` that describes the file and must be checked against the dataset. */
  manifest?: string;
  /** `'codes'`: a semantic-code index (`{"<key>": ["<A_1>", …]}`) declared in `features.json`; default float32 rows. */
  format?: 'f32' | 'codes';
  /** Codes: codes per level (default 256). */
  codesPerLevel?: number;
  /** Codes: a `key<TAB>index` file naming the dataset item (its key, e.g. the ASIN) of each code-file key, when the code file numbers items its own way. */
  itemMap?: string;
}

/** UniSRec / MISSRec / DecoRec suffixes: `<Name>.feat1CLS` holds text, `<Name>.feat3CLS` image vectors. */
const SUFFIX_MODALITIES: Record<string, string> = { feat1CLS: 'text', feat3CLS: 'image' };

const MANIFEST = 'features.json';

/**
 * Finds the feature files of a dataset folder: `<Name>.feat1CLS` (text), `<Name>.feat3CLS`
 * (image), `<modality>.f32`, and the entries of an optional `features.json` manifest
 * `{ "<modality>": { "file": "<relative path>", "dim": <int, optional> } }`, which wins over a
 * `.f32` file of the same modality. A manifest entry with `"format": "codes"` names a semantic-code
 * index instead (optional `"codesPerLevel"`, default 256, and `"itemMap"`, a `key<TAB>index` file
 * giving the dataset item key of each of the code file's own keys). A `<modality>.manifest.json` (written by @imecd/features)
 * claims its modality and the values file it names, which is then checked on reading.
 * Two files claiming one modality are a DataFormatError.
 */
export async function discoverFeatureFiles(dir: string): Promise<FeatureFileEntry[]> {
  const names = (await readdir(dir)).sort();
  const entries = new Map<string, FeatureFileEntry>();
  const claim = (entry: FeatureFileEntry): void => {
    const previous = entries.get(entry.format === 'codes' ? `${entry.modality} codes` : entry.modality);
    if (previous !== undefined) {
      throw new DataFormatError(
        dir,
        undefined,
        `two feature files for modality "${entry.modality}": ${previous.file} and ${entry.file}`,
      );
    }
    entries.set(entry.format === 'codes' ? `${entry.modality} codes` : entry.modality, entry);
  };
  const manifest = names.includes(MANIFEST) ? await readManifest(join(dir, MANIFEST), dir) : [];
  for (const entry of manifest) claim(entry);
  const described = new Set<string>();
  for (const name of names.filter(
    (entry) => entry.endsWith(FEATURE_MANIFEST_SUFFIX) && entry.length > FEATURE_MANIFEST_SUFFIX.length,
  )) {
    const modality = name.slice(0, -FEATURE_MANIFEST_SUFFIX.length);
    // The manifest's own checks run when the file is read; here it only claims `<modality>.f32`.
    claim({ modality, file: join(dir, `${modality}.f32`), manifest: join(dir, name) });
    described.add(`${modality}.f32`);
  }
  for (const name of names) {
    if (described.has(name)) continue;
    const suffix = name.slice(name.lastIndexOf('.') + 1);
    const suffixModality = SUFFIX_MODALITIES[suffix];
    if (suffixModality !== undefined) claim({ modality: suffixModality, file: join(dir, name) });
    else if (suffix === 'f32' && name !== '.f32') {
      const modality = name.slice(0, -'.f32'.length);
      const inManifest = manifest.some(
        (entry) => (entry.format !== 'codes' && entry.modality === modality) || entry.file === join(dir, name),
      );
      if (!inManifest) claim({ modality, file: join(dir, name) });
    }
  }
  return [...entries.values()];
}

async function readManifest(file: string, dir: string): Promise<FeatureFileEntry[]> {
  const manifest = await readJsonFile(file);
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new DataFormatError(file, undefined, 'expected an object { "<modality>": { "file", "dim" } }');
  }
  return Object.entries(manifest).map(([modality, value]) => {
    const {
      file: featureFile,
      dim,
      format,
      codesPerLevel,
      itemMap,
    } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    if (typeof featureFile !== 'string' || featureFile === '') {
      throw new DataFormatError(file, undefined, `modality "${modality}": "file" must be a non-empty string`);
    }
    if (format !== undefined && format !== 'f32' && format !== 'codes') {
      throw new DataFormatError(
        file,
        undefined,
        `modality "${modality}": "format" must be "f32" or "codes", got ${JSON.stringify(format)}`,
      );
    }
    if (format === 'codes') {
      if (
        codesPerLevel !== undefined &&
        (typeof codesPerLevel !== 'number' || !Number.isInteger(codesPerLevel) || codesPerLevel < 1)
      ) {
        throw new DataFormatError(
          file,
          undefined,
          `modality "${modality}": "codesPerLevel" must be a positive integer, got ${JSON.stringify(codesPerLevel)}`,
        );
      }
      if (itemMap !== undefined && (typeof itemMap !== 'string' || itemMap === '')) {
        throw new DataFormatError(file, undefined, `modality "${modality}": "itemMap" must be a non-empty string`);
      }
      return {
        modality,
        file: join(dir, featureFile),
        format: 'codes' as const,
        ...(codesPerLevel === undefined ? {} : { codesPerLevel: codesPerLevel as number }),
        ...(itemMap === undefined ? {} : { itemMap: join(dir, itemMap as string) }),
      };
    }
    if (dim !== undefined && (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1)) {
      throw new DataFormatError(
        file,
        undefined,
        `modality "${modality}": "dim" must be a positive integer, got ${JSON.stringify(dim)}`,
      );
    }
    return dim === undefined
      ? { modality, file: join(dir, featureFile) }
      : { modality, file: join(dir, featureFile), dim: dim as number };
  });
}
