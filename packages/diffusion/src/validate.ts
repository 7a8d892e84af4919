import { InvalidArgumentError } from '@imecd/core';

// Option checks shared by every factory in this package, so each validates its options once,
// up front, and names the offending option the same way.

export function requirePositiveInteger(argument: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new InvalidArgumentError(argument, `expected a positive integer, got ${value}`);
  return value;
}

export function requirePositiveNumber(argument: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(argument, `expected a positive finite number, got ${value}`);
  }
  return value;
}

export function requireNonNegativeNumber(argument: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(argument, `expected a non-negative finite number, got ${value}`);
  }
  return value;
}

/** A probability of dropping something: 0 turns it off, 1 would drop everything. */
export function requireRate(argument: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new InvalidArgumentError(argument, `expected a rate in [0, 1), got ${value}`);
  }
  return value;
}

export function requireSeed(argument: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidArgumentError(argument, `expected a finite number, got ${value}`);
  return value;
}

/** Names become variable-name prefixes joined with '/', so empty segments are refused. */
export function requireScopeName(argument: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.split('/').some((segment) => segment.length === 0)) {
    throw new InvalidArgumentError(argument, `expected a non-empty name without empty '/' segments, got "${String(value)}"`);
  }
  return value;
}

/** One of a fixed set of string choices. */
export function requireChoice<T extends string>(argument: string, value: T, choices: readonly T[]): T {
  if (!choices.includes(value)) {
    throw new InvalidArgumentError(argument, `expected one of ${choices.map((choice) => `'${choice}'`).join(', ')}, got "${String(value)}"`);
  }
  return value;
}

/** A random seed when the caller did not ask for determinism. */
export function resolveSeed(seed: number | undefined): number {
  return seed === undefined ? Math.floor(Math.random() * 2 ** 32) : requireSeed('seed', seed);
}

/** An integer step in [0, numSteps); `allowFinal` also admits −1, "after the last step". */
export function requireStep(argument: string, step: number, numSteps: number, allowFinal = false): number {
  const lowest = allowFinal ? -1 : 0;
  if (!Number.isInteger(step) || step < lowest || step >= numSteps) {
    throw new InvalidArgumentError(argument, `expected an integer step in [${lowest}, ${numSteps}), got ${step}`);
  }
  return step;
}
