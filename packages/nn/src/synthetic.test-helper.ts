// Test-only helpers (not exported, not built): seeded synthetic tensors so every test is reproducible.

import { createRng } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';

/** A float32 tensor of standard-normal values times `scale`, from `seed`. */
export function syntheticTensor<R extends tf.Rank>(shape: number[], seed: number, scale = 1): tf.Tensor<R> {
  const rng = createRng(seed);
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  const tensor: tf.Tensor = tf.tensor(
    Float32Array.from({ length: size }, () => rng.normal() * scale),
    shape,
    'float32',
  );
  return tensor as tf.Tensor<R>;
}

/** A [B, L] left-padding mask: row b has `lengths[b]` ones at the right end. */
export function syntheticPaddingMask(lengths: readonly number[], length: number): tf.Tensor2D {
  return tf.tensor2d(
    lengths.map((real) => Array.from({ length }, (_, position) => (position >= length - real ? 1 : 0))),
  );
}
