import { ImecdError } from '@imecd/core';
import type { BackendName } from './backend-names';

/**
 * A backend that was asked for by name and could not be loaded. Raised only for explicit
 * choices: `auto` records the same `reason` in its attempts and moves on to the next backend.
 */
export class BackendUnavailableError extends ImecdError {
  readonly backend: BackendName;
  /** Why loading failed, usually the first line of the underlying error. */
  readonly reason: string;
  /** What to do about it. */
  readonly fix: string;

  constructor(backend: BackendName, reason: string, fix: string, options?: { cause?: unknown }) {
    super('BACKEND_UNAVAILABLE', `Backend "${backend}" is unavailable: ${reason}. To fix: ${fix}.`, options);
    this.backend = backend;
    this.reason = reason;
    this.fix = fix;
  }
}
