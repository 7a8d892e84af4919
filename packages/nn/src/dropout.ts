import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { createSeededRng } from './seed';
import { requireRate } from './validate';

/** Options of {@link dropout}. */
export interface DropoutOptions {
  /** Drop only when true; at inference dropout is the identity. Required, so no call trains by accident. */
  training: boolean;
  /** Seed of the mask; the same seed and shape give the same mask. Default: a random seed. */
  seed?: number;
}

/**
 * Inverted dropout: zeroes each element with probability `rate` and scales the survivors by
 * 1 / (1 − rate), so the expectation is unchanged and inference needs no rescaling. Returns `x`
 * itself when not training or when `rate` is 0. The mask is drawn in JavaScript from the seeded
 * generator, so it is the same on every backend.
 */
export function dropout<T extends Tensor>(x: T, rate: number, options: DropoutOptions): T {
  requireRate('rate', rate);
  if (!options.training || rate === 0) return x;
  const rng = createSeededRng(options.seed);
  const keepScale = 1 / (1 - rate);
  const mask = new Float32Array(x.size);
  for (let index = 0; index < mask.length; index++) mask[index] = rng.next() < rate ? 0 : keepScale;
  return tf.tidy(() => tf.mul(x, tf.tensor(mask, x.shape, 'float32')) as T);
}
