import { ImecdError } from '@imecd/core';

/** A command line that cannot be run as written; the CLI exits with code 2. */
export class UsageError extends ImecdError {
  constructor(message: string) {
    super('USAGE', message);
  }
}
