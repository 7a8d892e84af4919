import type { Rng } from '@imecd/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

// Every random draw of this package comes from a seeded `Rng` in JavaScript, not from a tfjs
// kernel, so one seed gives the same timesteps, noise and masks on every backend. (Child seeds
// are drawn with @imecd/nn's `drawSeed`.)

/** A float32 tensor of `shape` filled with independent N(0, 1) draws. */
export function standardNormal<T extends Tensor>(shape: readonly number[], rng: Rng): T {
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => rng.normal()),
    [...shape],
    'float32',
  ) as T;
}

/** `count` integers drawn uniformly from [0, bound). */
export function uniformIntegers(count: number, bound: number, rng: Rng): Int32Array {
  return Int32Array.from({ length: count }, () => rng.nextInt(bound));
}
