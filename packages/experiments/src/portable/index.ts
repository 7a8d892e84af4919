/**
 * @file @imecd/experiments/portable — the part of @imecd/experiments that runs in a browser: the
 * model registry, and a trained model as a portable directory (tfjs's weights-manifest format plus
 * the model's card and catalogue), loaded from a URL or from files in memory. No node: imports.
 */
export { createDefaultRegistry } from '../default-registry';
export {
  createModelRegistry,
  type Hyperparameters,
  type ModalityInputs,
  type ModelCapabilities,
  type ModelContext,
  type ModelDefinition,
  type ModelRegistry,
  type RegisteredModel,
} from '../model-registry';
export {
  type EncodeModelDirectoryArgs,
  encodeModelDirectory,
  type ModelDirectoryFiles,
} from './encode-model-directory';
export {
  type LoadedModel,
  type LoadModelDirectoryOptions,
  loadFromReader,
  loadModelDirectory,
  type ModelDirectoryReader,
  type ModelDirectorySource,
} from './load-model-directory';
export * from './model-file-format';
