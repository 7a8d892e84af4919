import { InvalidArgumentError } from '@imecd/core';
import { requireOptionalSeed, resolveSeed } from '@imecd/nn';

// The option checks only this package needs, and the seed check its three factories share; the
// general ones (sizes, rates, names, seeds, choices) come from @imecd/nn so every package names a
// bad option the same way.

/** The `seed` option checked by @imecd/nn, or a random seed when it is not given (not reproducible). */
export function resolveSeedOption(seed: unknown): number {
  return resolveSeed(requireOptionalSeed('seed', seed));
}

/** An integer step in [0, numSteps); `allowFinal` also admits −1, "after the last step". */
export function requireStep(argument: string, step: number, numSteps: number, allowFinal = false): number {
  const lowest = allowFinal ? -1 : 0;
  if (!Number.isInteger(step) || step < lowest || step >= numSteps) {
    throw new InvalidArgumentError(argument, `expected an integer step in [${lowest}, ${numSteps}), got ${step}`);
  }
  return step;
}
