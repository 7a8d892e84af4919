/**
 * @file @imecd/experiments — experiments over models of the `RecommenderModel` contract: a model
 * registry (each model a factory, its settings schema and its capabilities) and the run machinery
 * of train, tune and replicate. Backends are the caller's choice: this package only imports
 * `@tensorflow/tfjs-core` (through the model packages).
 */
export { createDefaultRegistry } from './default-registry';
export { featureFingerprints, modalityInputs } from './feature-inputs';
export type {
  Hyperparameters,
  ModalityInputs,
  ModelCapabilities,
  ModelContext,
  ModelDefinition,
  ModelRegistry,
  RegisteredModel,
} from './model-registry';
export { createModelRegistry } from './model-registry';
