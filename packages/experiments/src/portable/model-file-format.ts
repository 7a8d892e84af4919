import type { Hyperparameters } from '../model-registry';

/**
 * The format of a model directory, after TensorFlow.js's own: `model.json` holds a
 * `weightsManifest` (one group, shards of at most 4 MiB, as tfjs writes them) that any `tf.io`
 * handler reads, and, under `userDefinedMetadata.imecd`, what rebuilds the model; `catalogue.json`
 * names the items.
 */
export const MODEL_FILE_FORMAT = 'imecd-model';
/** Raised when a change makes older readers misread a file; readers refuse newer versions. */
export const MODEL_FILE_VERSION = 1;
export const MODEL_JSON = 'model.json';
export const CATALOGUE_JSON = 'catalogue.json';

/** What a page or a report shows about a model: where it came from and how it scored. */
export interface ModelCard {
  /** Registry name, e.g. "sasrec". */
  model: string;
  dataset: string;
  numItems: number;
  maxLength: number;
  seed: number;
  bestEpoch: number;
  /** The backend it was trained on. */
  backend: string;
  /** The evaluation protocol in one line (formatProtocol). */
  protocol: string;
  /** The seed's metrics at its best validation epoch. */
  valid: Record<string, number>;
  test: Record<string, number>;
  /** The command that trained it, with folders reduced to their names (no absolute paths). */
  command: string;
  /** The run folder's name. */
  run: string;
  /** ISO time of the export. */
  exportedAt: string;
}

/** A modality input stored with the weights: a feature matrix or an item code index. */
export type StoredInput =
  | { kind: 'features'; dim: number; source: string }
  | { kind: 'codes'; levels: number; codesPerLevel: number; source: string };

/** `userDefinedMetadata.imecd` of model.json. */
export interface ModelFileMetadata {
  formatVersion: number;
  model: string;
  numItems: number;
  seed: number;
  hyperparameters: Hyperparameters;
  /** Modalities the model reads; their arrays are weights named `inputs/<modality>/…`. */
  inputs: Record<string, StoredInput>;
  /** A model fitted without gradients (Pop): its saved state is the weight `fitted/state`. */
  fitted: boolean;
  card: ModelCard;
}

/** tfjs's weight entry (tf.io.WeightsManifestEntry), the dtypes this format writes. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
}

/** model.json as written: tfjs's ModelJSON with no topology (the registry rebuilds the model). */
export interface ModelJson {
  format: typeof MODEL_FILE_FORMAT;
  generatedBy: string;
  convertedBy: null;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  userDefinedMetadata: { imecd: ModelFileMetadata };
}

/** `catalogue.json`: keys and titles by item id; index 0 is padding. */
export interface Catalogue {
  keys: string[];
  titles: (string | undefined)[];
}
