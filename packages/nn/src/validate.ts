import { InvalidArgumentError } from '@imecd/core';

// Option checks shared by every factory, so each one validates its options once, up front, and
// names the offending option the same way.

export function requirePositiveInteger(argument: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(argument, `expected a positive integer, got ${value}`);
  }
  return value;
}

export function requireNonNegativeInteger(argument: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(argument, `expected a non-negative integer, got ${value}`);
  }
  return value;
}

export function requirePositiveNumber(argument: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(argument, `expected a positive finite number, got ${value}`);
  }
  return value;
}

/** A dropout rate: 0 turns dropout off, 1 would drop everything and divide by zero. */
export function requireRate(argument: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value >= 1) {
    throw new InvalidArgumentError(argument, `expected a rate in [0, 1), got ${value}`);
  }
  return value;
}

/** Module names become variable-name prefixes joined with '/', so empty segments are refused. */
export function requireScopeName(argument: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.split('/').some((segment) => segment.length === 0)) {
    throw new InvalidArgumentError(argument, `expected a non-empty name without empty '/' segments, got "${value}"`);
  }
  return value;
}
