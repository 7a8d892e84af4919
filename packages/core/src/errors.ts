const MARKER = Symbol.for('imecd.error');

/**
 * Base class of every error the @imecd packages throw on purpose. `code` is stable and meant for
 * programs; the message is meant for people. `ImecdError.isInstance` survives two copies of the
 * package in one node_modules, where `instanceof` does not.
 */
export class ImecdError extends Error {
  readonly [MARKER] = true;
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  static isInstance(value: unknown): value is ImecdError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** An argument or option outside what the function accepts; `argument` names it. */
export class InvalidArgumentError extends ImecdError {
  readonly argument: string;

  constructor(argument: string, message: string, options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', `Invalid ${argument}: ${message}`, options);
    this.argument = argument;
  }
}

/** Two tensors or arrays whose shapes do not fit; the message names both shapes. */
export class ShapeMismatchError extends ImecdError {
  readonly argument: string;

  constructor(argument: string, expected: string, actual: readonly number[] | string) {
    const shown = typeof actual === 'string' ? actual : `[${actual.join(', ')}]`;
    super('SHAPE_MISMATCH', `Shape mismatch for ${argument}: expected ${expected}, got ${shown}`);
    this.argument = argument;
  }
}

/**
 * Input data that cannot be read as promised: a malformed line, a missing field, a truncated
 * file. The message starts with `file:line` so editors and terminals can jump to it.
 */
export class DataFormatError extends ImecdError {
  readonly file: string;
  readonly line: number | undefined;
  readonly reason: string;

  constructor(file: string, line: number | undefined, reason: string, options?: { cause?: unknown }) {
    super('DATA_FORMAT', `${line === undefined ? file : `${file}:${line}`}: ${reason}`, options);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}
