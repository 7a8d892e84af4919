import { InvalidArgumentError } from '@imecd/core';
import type { Initializer } from '@imecd/nn';

// Option checks of this package, so every factory validates its options once, up front, and names
// the offending option the same way @imecd/nn does (its own helpers are not part of its public API).

export function requirePositiveInteger(argument: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(argument, `expected a positive integer, got ${value}`);
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

export function requireBoolean(argument: string, value: boolean): boolean {
  if (typeof value !== 'boolean') throw new InvalidArgumentError(argument, `expected true or false, got ${String(value)}`);
  return value;
}

export function requireOneOf<T extends string>(argument: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) {
    throw new InvalidArgumentError(argument, `expected one of ${allowed.map((option) => `'${option}'`).join(', ')}, got "${String(value)}"`);
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

const NORMAL_PATTERN = /^normal\((.+)\)$/;

/**
 * The initializers @imecd/nn's `createDense` accepts, checked here so that a bad value is reported
 * under this package's option name (`gateInitializer`) rather than the dense layer's.
 */
export function requireInitializer(argument: string, value: Initializer): Initializer {
  if (value === 'glorot-uniform' || value === 'zeros') return value;
  const standardDeviation = Number(NORMAL_PATTERN.exec(String(value))?.[1] ?? Number.NaN);
  if (!Number.isFinite(standardDeviation) || standardDeviation <= 0) {
    throw new InvalidArgumentError(argument, `expected 'glorot-uniform', 'zeros' or 'normal(σ)' with σ > 0, got "${String(value)}"`);
  }
  return value;
}
