import { DataFormatError, type FeatureMatrix, ImecdError, type ItemCodes } from '@imecd/core';
import { restoreVariables } from '@imecd/nn';
import type { RecommenderModel } from '@imecd/recommender';
import { createDefaultRegistry } from '../default-registry';
import type { ModalityInputs, ModelRegistry } from '../model-registry';
import * as format from './model-file-format';
import { SHARD_BYTES, weightBytes } from './weight-shards';

/** Where a model directory is read from: a base URL (fetched), or its files in memory. */
export type ModelDirectorySource =
  | { url: string; fetch?: typeof globalThis.fetch }
  | { files: Readonly<Record<string, string | Uint8Array | ArrayBuffer>> };

/** Reads one file of a model directory; `label` names it in errors (its URL or path). */
export interface ModelDirectoryReader {
  label(name: string): string;
  /** The file's bytes, or undefined when it does not exist. */
  read(name: string): Promise<Uint8Array | undefined>;
}

export interface LoadedModel {
  /** Ready for `recommend()` and `scoreAll`. */
  model: RecommenderModel;
  card: format.ModelCard;
  catalogue: format.Catalogue;
  dispose(): void;
}

export interface LoadModelDirectoryOptions {
  /** Which models can be rebuilt. Default: createDefaultRegistry(). */
  registry?: ModelRegistry;
}

/**
 * Loads a model directory written by `exportRunModel` (or `pnpm reproduce export`): checks the
 * format version, every shard and its byte length against the manifest, rebuilds the model through
 * the registry and restores its weights. Any failure is a DataFormatError naming the file, and
 * nothing is left half-built (the model is disposed).
 */
export async function loadModelDirectory(
  source: ModelDirectorySource,
  options: LoadModelDirectoryOptions = {},
): Promise<LoadedModel> {
  return loadFromReader('files' in source ? memoryReader(source.files) : urlReader(source.url, source.fetch), options);
}

/** {@link loadModelDirectory} over any reader (the Node entry adds one for folders). */
export async function loadFromReader(
  reader: ModelDirectoryReader,
  options: LoadModelDirectoryOptions = {},
): Promise<LoadedModel> {
  const registry = options.registry ?? createDefaultRegistry();
  const modelFile = reader.label(format.MODEL_JSON);
  const fail = (reason: string, cause?: unknown): never => {
    throw new DataFormatError(modelFile, undefined, reason, cause === undefined ? undefined : { cause });
  };
  const json = await readJson<format.ModelJson>(reader, format.MODEL_JSON);
  const meta: format.ModelFileMetadata | undefined = json.userDefinedMetadata?.imecd;
  if (json.format !== format.MODEL_FILE_FORMAT || meta === undefined)
    fail(`not an IMECD model directory (format "${String(json.format)}", expected "${format.MODEL_FILE_FORMAT}")`);
  if (!Number.isInteger(meta!.formatVersion) || meta!.formatVersion > format.MODEL_FILE_VERSION)
    fail(
      `format version ${meta!.formatVersion} is newer than this reader's (${format.MODEL_FILE_VERSION}); update @imecd/experiments`,
    );
  if (!registry.has(meta!.model))
    fail(`model "${meta!.model}" is not one this registry knows (${registry.names.join(', ')})`);
  const group = json.weightsManifest?.[0];
  if (json.weightsManifest?.length !== 1 || !group) fail('expected one weights group in weightsManifest');
  const arrays = decodeWeights(group!.weights, await readShards(reader, group!.paths, group!.weights), modelFile);
  const catalogue = await readJson<format.Catalogue>(reader, format.CATALOGUE_JSON);
  if (catalogue.keys?.length !== meta!.numItems + 1)
    throw new DataFormatError(
      reader.label(format.CATALOGUE_JSON),
      undefined,
      `expected ${meta!.numItems + 1} keys (padding + items)`,
    );

  let model: RecommenderModel | undefined;
  try {
    model = registry.create(meta!.model, {
      numItems: meta!.numItems,
      seed: meta!.seed,
      hyperparameters: meta!.hyperparameters,
      inputs: storedInputs(meta!, arrays, modelFile),
    });
    if (meta!.fitted) model.restoreFitted!(arrays.get('fitted/state') as Float32Array);
    else restoreVariables(model.variables, variablesOf(group!.weights, arrays));
  } catch (error) {
    model?.dispose();
    if (ImecdError.isInstance(error) && error.code !== 'DATA_FORMAT')
      fail(`the model cannot be rebuilt from this file: ${error.message}`, error);
    throw error;
  }
  const built = model!;
  const titles = (catalogue.titles ?? []).map((title) => title ?? undefined); // JSON writes undefined as null
  return {
    model: built,
    card: meta!.card,
    catalogue: { keys: catalogue.keys, titles },
    dispose: () => built.dispose(),
  };
}

async function readJson<T>(reader: ModelDirectoryReader, name: string): Promise<T> {
  const bytes = await reader.read(name);
  if (bytes === undefined) throw new DataFormatError(reader.label(name), undefined, 'missing');
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (error) {
    throw new DataFormatError(reader.label(name), undefined, 'not valid JSON', { cause: error });
  }
}

/** The shards, joined; a missing shard or one of another length than the manifest needs names its file. */
async function readShards(
  reader: ModelDirectoryReader,
  paths: string[],
  specs: format.WeightSpec[],
): Promise<Uint8Array> {
  const expected = specs.reduce((sum, spec) => sum + weightBytes(spec), 0);
  const shards: Uint8Array[] = [];
  let offset = 0;
  for (const [index, path] of paths.entries()) {
    const shard = await reader.read(path);
    if (shard === undefined)
      throw new DataFormatError(reader.label(path), undefined, 'missing (a shard of model.json)');
    // Writers fill every shard but the last to SHARD_BYTES, as tfjs does.
    const wanted = index < paths.length - 1 ? SHARD_BYTES : expected - offset;
    if (shard.byteLength !== wanted)
      throw new DataFormatError(
        reader.label(path),
        undefined,
        `${shard.byteLength} bytes; model.json's weights need ${wanted} here (${expected} in all)`,
      );
    shards.push(shard);
    offset += shard.byteLength;
  }
  const joined = new Uint8Array(offset);
  offset = 0;
  for (const shard of shards) {
    joined.set(shard, offset);
    offset += shard.byteLength;
  }
  return joined;
}

/** Each weight as a typed array of its own (copied, so alignment never matters). */
function decodeWeights(specs: format.WeightSpec[], bytes: Uint8Array, file: string) {
  const arrays = new Map<string, Float32Array | Int32Array | Uint8Array>();
  let offset = 0;
  for (const spec of specs) {
    const length = weightBytes(spec);
    const copy = bytes.slice(offset, offset + length).buffer;
    if (spec.dtype === 'float32') arrays.set(spec.name, new Float32Array(copy));
    else if (spec.dtype === 'int32') arrays.set(spec.name, new Int32Array(copy));
    else if (spec.dtype === 'bool') arrays.set(spec.name, new Uint8Array(copy));
    else
      throw new DataFormatError(
        file,
        undefined,
        `weight ${spec.name}: dtype ${String(spec.dtype)} is not one this format writes`,
      );
    offset += length;
  }
  return arrays;
}

function storedInputs(
  meta: format.ModelFileMetadata,
  arrays: Map<string, Float32Array | Int32Array | Uint8Array>,
  file: string,
): ModalityInputs {
  const inputs: Record<string, FeatureMatrix | ItemCodes> = {};
  for (const [modality, input] of Object.entries(meta.inputs)) {
    const mask = arrays.get(`inputs/${modality}/mask`) as Uint8Array | undefined;
    if (mask?.length !== meta.numItems + 1)
      throw new DataFormatError(file, undefined, `inputs/${modality}/mask: expected ${meta.numItems + 1} rows`);
    if (input.kind === 'codes') {
      const codes = arrays.get(`inputs/${modality}/codes`) as Int32Array;
      inputs[modality] = {
        modality,
        levels: input.levels,
        codesPerLevel: input.codesPerLevel,
        codes,
        mask,
        source: input.source,
      };
    } else {
      const values = arrays.get(`inputs/${modality}/values`) as Float32Array;
      inputs[modality] = { modality, dim: input.dim, values, mask, source: input.source };
    }
  }
  return inputs;
}

/** The model's own weights (not inputs, not a fitted state) as restoreVariables reads them. */
function variablesOf(specs: format.WeightSpec[], arrays: Map<string, Float32Array | Int32Array | Uint8Array>) {
  const own = specs.filter((spec) => spec.dtype === 'float32' && !/^(inputs|fitted)\//.test(spec.name));
  const data = new Float32Array(own.reduce((sum, spec) => sum + weightBytes(spec) / 4, 0));
  let offset = 0;
  const manifest = own.map((spec) => {
    data.set(arrays.get(spec.name) as Float32Array, offset);
    const entry = { name: spec.name, shape: spec.shape, dtype: 'float32' as const, offset };
    offset += weightBytes(spec) / 4;
    return entry;
  });
  return { manifest, data };
}

function memoryReader(files: Readonly<Record<string, string | Uint8Array | ArrayBuffer>>): ModelDirectoryReader {
  return {
    label: (name) => name,
    read: async (name) => {
      const file = files[name];
      if (file === undefined) return undefined;
      return typeof file === 'string' ? new TextEncoder().encode(file) : new Uint8Array(file);
    },
  };
}

function urlReader(base: string, fetchFile: typeof globalThis.fetch = globalThis.fetch): ModelDirectoryReader {
  const root = base.endsWith('/') ? base : `${base}/`;
  return {
    label: (name) => `${root}${name}`,
    read: async (name) => {
      const response = await fetchFile(`${root}${name}`);
      if (response.status === 404) return undefined;
      if (!response.ok) throw new DataFormatError(`${root}${name}`, undefined, `HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
