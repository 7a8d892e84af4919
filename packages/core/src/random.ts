import { InvalidArgumentError } from './errors';

/** A small, fast, seeded generator (splitmix32); the same seed gives the same stream everywhere. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Shuffles in place (Fisher–Yates) and returns the same array. */
  shuffle<T extends { length: number; [index: number]: unknown }>(values: T): T;
  /** A fresh generator whose stream does not overlap this one's in practice. */
  fork(): Rng;
}

export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new InvalidArgumentError('seed', `expected a finite number, got ${seed}`);
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const next = (): number => nextUint32() / 4294967296;
  const rng: Rng = {
    next,
    nextInt(n) {
      if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('n', `expected a positive integer, got ${n}`);
      return Math.floor(next() * n);
    },
    normal() {
      const u = 1 - next(); // (0, 1]: log stays finite
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    shuffle(values) {
      for (let i = values.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const held = values[i];
        values[i] = values[j];
        values[j] = held;
      }
      return values;
    },
    fork() {
      return createRng(nextUint32() ^ 0x5bd1e995);
    },
  };
  return rng;
}

/**
 * A 32-bit seed from several integers (run seed, epoch, step…), so each part of a run draws from
 * its own stream and a resumed run redraws exactly what an uninterrupted one would have.
 */
export function deriveSeed(...parts: number[]): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    hash = Math.imul(hash ^ (part >>> 0), 0x01000193);
    hash ^= hash >>> 15;
    hash = Math.imul(hash, 0x2c1b3c6d);
    hash ^= hash >>> 12;
  }
  return hash >>> 0;
}
