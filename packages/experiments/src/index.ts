/**
 * @file @imecd/experiments — experiments over models of the `RecommenderModel` contract: a model
 * registry (each model a factory, its settings schema and its capabilities) and the run machinery
 * of train, tune and replicate. Backends are the caller's choice: this package only imports
 * `@tensorflow/tfjs-core` (through the model packages).
 */
export {};
