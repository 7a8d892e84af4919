import { InvalidArgumentError } from '@imecd/core';

// Option checks shared by every factory (here and in the packages built on @imecd/nn), so each one
// validates its options once, up front, and names the offending option the same way. Each check
// returns the value it was given, typed, and throws `InvalidArgumentError(argument, …)` otherwise.
// They accept `unknown` so that options read from JSON or plain JavaScript are checked too.

/**
 * An integer ≥ 1 (a size, a count).
 * @throws InvalidArgumentError naming `argument` otherwise.
 */
export function requirePositiveInteger(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(argument, `expected a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * An integer ≥ 0 (a number of layers, iterations or steps, where 0 turns something off).
 * @throws InvalidArgumentError naming `argument` otherwise.
 */
export function requireNonNegativeInteger(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(argument, `expected a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/**
 * A finite number > 0 (a temperature, an epsilon).
 * @throws InvalidArgumentError naming `argument` otherwise, NaN and ±Infinity included.
 */
export function requirePositiveNumber(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(argument, `expected a positive finite number, got ${String(value)}`);
  }
  return value;
}

/**
 * A finite number ≥ 0 (a loss weight, where 0 turns the term off).
 * @throws InvalidArgumentError naming `argument` otherwise, NaN and ±Infinity included.
 */
export function requireNonNegativeNumber(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(argument, `expected a non-negative finite number, got ${String(value)}`);
  }
  return value;
}

/**
 * A dropout rate in [0, 1): 0 turns dropout off, 1 would drop everything and divide by zero.
 * @throws InvalidArgumentError naming `argument` otherwise.
 */
export function requireRate(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new InvalidArgumentError(argument, `expected a rate in [0, 1), got ${String(value)}`);
  }
  return value;
}

/**
 * A number strictly between 0 and 1, such as a decay factor: 0 would forget everything, 1 would
 * never move.
 * @throws InvalidArgumentError naming `argument` otherwise.
 */
export function requireOpenUnitInterval(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value >= 1) {
    throw new InvalidArgumentError(argument, `expected a number in (0, 1), got ${String(value)}`);
  }
  return value;
}

/**
 * `true` or `false`, nothing truthy or falsy in their place.
 * @throws InvalidArgumentError naming `argument` otherwise.
 */
export function requireBoolean(argument: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw new InvalidArgumentError(argument, `expected true or false, got ${String(value)}`);
  return value;
}

/**
 * One of a fixed set of string choices; the error lists them, e.g.
 * `expected one of 'guide', 'self', got "cross"`.
 * @throws InvalidArgumentError naming `argument` otherwise.
 */
export function requireOneOf<T extends string>(argument: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(
      argument,
      `expected one of ${allowed.map((option) => `'${option}'`).join(', ')}, got "${String(value)}"`,
    );
  }
  return value as T;
}

/**
 * A module name. Names become variable-name prefixes joined with '/', so empty segments are refused.
 * @throws InvalidArgumentError naming `argument` otherwise.
 */
export function requireScopeName(argument: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.split('/').some((segment) => segment.length === 0)) {
    throw new InvalidArgumentError(
      argument,
      `expected a non-empty name without empty '/' segments, got "${String(value)}"`,
    );
  }
  return value;
}

/**
 * A seed for `createRng`: any finite number (it is reduced to 32 bits there).
 * @throws InvalidArgumentError naming `argument` otherwise.
 */
export function requireSeed(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(argument, `expected a finite number, got ${String(value)}`);
  }
  return value;
}

/**
 * An optional seed: `undefined` (the caller did not ask for determinism) or a finite number. Pair
 * it with `resolveSeed` to check a seed option up front and fill in a random one.
 * @throws InvalidArgumentError naming `argument` otherwise.
 */
export function requireOptionalSeed(argument: string, value: unknown): number | undefined {
  return value === undefined ? undefined : requireSeed(argument, value);
}
