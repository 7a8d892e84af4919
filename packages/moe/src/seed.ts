import { createRng, type Rng } from '@imecd/core';

/** The given seed, or a fresh one when the caller did not ask for determinism. */
export function resolveSeed(seed: number | undefined): number {
  return seed ?? Math.floor(Math.random() * 2 ** 32);
}

/** A 32-bit seed drawn from `rng`, so one parent seed fixes every child weight, mask and noise draw. */
export function drawSeed(rng: Rng): number {
  return Math.floor(rng.next() * 2 ** 32);
}

/** A generator for `seed`, or for a random seed when it is undefined. */
export function createSeededRng(seed: number | undefined): Rng {
  return createRng(resolveSeed(seed));
}
