import { InvalidArgumentError } from '@imecd/core';

// Option checks used by both factories, so every option is validated once, up front, and the
// error names it the same way (with its path, e.g. `modalities.text.codebookSize`).

export function requirePositiveInteger(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(argument, `expected a positive integer, got ${String(value)}`);
  }
  return value;
}

export function requireNonNegativeInteger(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(argument, `expected a non-negative integer, got ${String(value)}`);
  }
  return value;
}

export function requireNonNegativeNumber(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(argument, `expected a non-negative finite number, got ${String(value)}`);
  }
  return value;
}

export function requirePositiveNumber(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(argument, `expected a positive finite number, got ${String(value)}`);
  }
  return value;
}

/** A decay factor strictly between 0 and 1: 0 would forget everything, 1 would never move. */
export function requireOpenUnitInterval(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value >= 1) {
    throw new InvalidArgumentError(argument, `expected a number in (0, 1), got ${String(value)}`);
  }
  return value;
}

export function requireOneOf<T extends string>(argument: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(argument, `expected one of ${allowed.map((option) => `'${option}'`).join(', ')}, got ${String(value)}`);
  }
  return value as T;
}

/** Names become variable-name prefixes joined with '/', so empty segments are refused. */
export function requireScopeName(argument: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.split('/').some((segment) => segment.length === 0)) {
    throw new InvalidArgumentError(argument, `expected a non-empty name without empty '/' segments, got "${String(value)}"`);
  }
  return value;
}

export function requireOptionalSeed(argument: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(argument, `expected a finite number, got ${String(value)}`);
  }
  return value;
}
