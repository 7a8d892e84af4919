/**
 * @file @imecd/core — what every @imecd package shares and nothing more: typed errors
 * (stable `code`, `isInstance` that survives duplicate installs) and a seeded generator.
 * No tensors here, so data and metrics code can use it without tfjs.
 */
export { ImecdError, InvalidArgumentError, ShapeMismatchError, DataFormatError } from './errors';
export { createRng, deriveSeed } from './random';
export type { Rng } from './random';
