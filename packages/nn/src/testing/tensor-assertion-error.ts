import { ImecdError } from '@imecd/core';

/** Thrown by the `@imecd/nn/testing` assertions; test runners report it like any failed expectation. */
export class TensorAssertionError extends ImecdError {
  constructor(message: string) {
    super('TENSOR_ASSERTION', message);
  }
}
