import type { FeatureMatrix, ItemCodes } from '@imecd/core';
import type { RecommenderModel } from '@imecd/recommender';
import type { Hyperparameters, ModalityInputs } from '../model-registry';
import {
  CATALOGUE_JSON,
  type Catalogue,
  MODEL_FILE_FORMAT,
  MODEL_FILE_VERSION,
  MODEL_JSON,
  type ModelCard,
  type ModelJson,
  type StoredInput,
  type WeightSpec,
} from './model-file-format';
import { SHARD_BYTES, shardNames } from './weight-shards';

export interface EncodeModelDirectoryArgs {
  /** A trained model (its weights, or for a fitted one its saved state, are written). */
  model: RecommenderModel;
  seed: number;
  /** Its resolved hyperparameters, as the registry builds it again. */
  hyperparameters: Hyperparameters;
  /** The modality inputs it was built with (features or codes); `{}` for a model that reads none. */
  inputs: ModalityInputs;
  catalogue: Catalogue;
  card: ModelCard;
  /** Written into model.json's `generatedBy`. */
  generatedBy: string;
}

/** A model directory's files by name: model.json, catalogue.json and the weight shards. */
export type ModelDirectoryFiles = Record<string, string | Uint8Array>;

/**
 * The files of a model directory, in memory: every array as a tfjs weight (the model's variables
 * by their names; inputs as `inputs/<modality>/values|codes|mask`; a fitted model's state as
 * `fitted/state`), split into shards of at most 4 MiB.
 */
export function encodeModelDirectory(args: EncodeModelDirectoryArgs): ModelDirectoryFiles {
  const { model, inputs } = args;
  const arrays: { spec: WeightSpec; bytes: Uint8Array }[] = [];
  const add = (name: string, shape: number[], values: Float32Array | Int32Array | Uint8Array) => {
    const dtype = values instanceof Float32Array ? 'float32' : values instanceof Int32Array ? 'int32' : 'bool';
    arrays.push({
      spec: { name, shape, dtype },
      bytes: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    });
  };
  const fitted = model.fit !== undefined;
  if (fitted) {
    if (!model.saveFitted)
      throw new TypeError(`${model.name} is fitted without gradients but cannot save what it fitted`);
    const state = model.saveFitted();
    add('fitted/state', [state.length], state);
  }
  for (const variable of model.variables) add(variable.name, [...variable.shape], variable.dataSync() as Float32Array);
  const stored: Record<string, StoredInput> = {};
  for (const [modality, input] of Object.entries(inputs) as [string, FeatureMatrix | ItemCodes][]) {
    const rows = model.numItems + 1;
    if ('codes' in input) {
      stored[modality] = {
        kind: 'codes',
        levels: input.levels,
        codesPerLevel: input.codesPerLevel,
        source: input.source,
      };
      add(`inputs/${modality}/codes`, [rows, input.levels], input.codes);
    } else {
      stored[modality] = { kind: 'features', dim: input.dim, source: input.source };
      add(`inputs/${modality}/values`, [rows, input.dim], input.values);
    }
    add(`inputs/${modality}/mask`, [rows], input.mask);
  }

  const total = arrays.reduce((sum, { bytes }) => sum + bytes.byteLength, 0);
  const buffer = new Uint8Array(total);
  let offset = 0;
  for (const { bytes } of arrays) {
    buffer.set(bytes, offset);
    offset += bytes.byteLength;
  }
  const paths = shardNames(Math.max(1, Math.ceil(total / SHARD_BYTES)));
  const modelJson: ModelJson = {
    format: MODEL_FILE_FORMAT,
    generatedBy: args.generatedBy,
    convertedBy: null,
    weightsManifest: [{ paths, weights: arrays.map(({ spec }) => spec) }],
    userDefinedMetadata: {
      imecd: {
        formatVersion: MODEL_FILE_VERSION,
        model: args.card.model,
        numItems: model.numItems,
        seed: args.seed,
        hyperparameters: args.hyperparameters,
        inputs: stored,
        fitted,
        card: args.card,
      },
    },
  };
  const files: ModelDirectoryFiles = {
    [MODEL_JSON]: `${JSON.stringify(modelJson, null, 1)}\n`,
    [CATALOGUE_JSON]: `${JSON.stringify(args.catalogue)}\n`,
  };
  paths.forEach((path, index) => {
    files[path] = buffer.slice(index * SHARD_BYTES, Math.min(total, (index + 1) * SHARD_BYTES));
  });
  return files;
}
