/**
 * @file @imecd/experiments/portable — the part of @imecd/experiments that runs in a browser: the
 * model registry, and a trained model as a portable directory (tfjs's weights-manifest format plus
 * the model's card and catalogue), loaded from a URL or from files in memory. No node: imports.
 */
export { createDefaultRegistry } from '../default-registry';
export type {
  Hyperparameters,
  ModalityInputs,
  ModelCapabilities,
  ModelContext,
  ModelDefinition,
  ModelRegistry,
  RegisteredModel,
} from '../model-registry';
export { createModelRegistry } from '../model-registry';
export type { EncodeModelDirectoryArgs, ModelDirectoryFiles } from './encode-model-directory';
export { encodeModelDirectory } from './encode-model-directory';
export type {
  LoadedModel,
  LoadModelDirectoryOptions,
  ModelDirectoryReader,
  ModelDirectorySource,
} from './load-model-directory';
export { loadFromReader, loadModelDirectory } from './load-model-directory';
export type { Catalogue, ModelCard, ModelFileMetadata, ModelJson, StoredInput, WeightSpec } from './model-file-format';
export { CATALOGUE_JSON, MODEL_FILE_FORMAT, MODEL_FILE_VERSION, MODEL_JSON } from './model-file-format';
