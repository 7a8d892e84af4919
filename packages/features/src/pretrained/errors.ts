import { ImecdError } from '@imecd/core';

/** An optional package that a feature needs is not installed; the message says what to install. */
export class MissingDependencyError extends ImecdError {
  readonly dependency: string;

  constructor(dependency: string, message: string, options?: { cause?: unknown }) {
    super('MISSING_DEPENDENCY', message, options);
    this.dependency = dependency;
  }
}

/** A model folder lacks files (and the hub is not allowed); the message lists them and where they go. */
export class MissingModelError extends ImecdError {
  readonly folder: string;
  readonly missing: readonly string[];

  constructor(folder: string, missing: readonly string[], message: string) {
    super('MISSING_MODEL', message);
    this.folder = folder;
    this.missing = missing;
  }
}
