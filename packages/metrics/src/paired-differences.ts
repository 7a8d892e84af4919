import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';

/** a[i] − b[i] for two per-user arrays of the same users in the same order; NaN is an error. */
export function pairedDifferences(a: ArrayLike<number>, b: ArrayLike<number>, minimumPairs: number): Float64Array {
  if (a.length !== b.length) throw new ShapeMismatchError('b', `${a.length} values (as many as a)`, [b.length]);
  if (a.length < minimumPairs) {
    throw new InvalidArgumentError('a', `expected at least ${minimumPairs} pairs, got ${a.length}`);
  }
  const differences = new Float64Array(a.length);
  for (let index = 0; index < a.length; index++) {
    const difference = (a[index] as number) - (b[index] as number);
    if (!Number.isFinite(difference)) {
      throw new InvalidArgumentError('a', `pair ${index} is not a pair of finite numbers (${a[index]}, ${b[index]})`);
    }
    differences[index] = difference;
  }
  return differences;
}
