import { InvalidArgumentError } from '@imecd/core';

/** The backends `selectBackend` knows, fastest first: `auto` tries them in this order. */
export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;

/** One concrete TensorFlow.js backend. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What a caller may ask for: one backend, or `auto` for the first in `BACKEND_NAMES` that loads. */
export type BackendChoice = BackendName | 'auto';

const CHOICES: readonly string[] = ['auto', ...BACKEND_NAMES];

export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}

/**
 * Reads a choice from an option or an environment variable. `argument` names where the value came
 * from, so a typo in `IMECD_BACKEND` is reported as such rather than as a bad option.
 */
export function parseBackendChoice(value: string, argument: string): BackendChoice {
  if (value === 'auto' || isBackendName(value)) return value;
  throw new InvalidArgumentError(argument, `unknown backend "${value}"; valid names are ${CHOICES.join(', ')}`);
}
