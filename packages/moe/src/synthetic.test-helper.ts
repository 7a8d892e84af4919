// Test-only helpers (not exported, not built): seeded synthetic tensors and backend selection.

import { selectBackend } from '@imecd/backend';
import { createRng } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';

/** A float32 tensor of standard-normal values times `scale`, from `seed`. Synthetic, not real data. */
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

/** Tests run on the pure-JS cpu backend with the project's kernels registered. */
export async function useCpuBackend(): Promise<void> {
  await selectBackend({ backend: 'cpu', env: {} });
}

/** Plain numbers of a tensor, for hand-written expectations. */
export function values(tensor: tf.Tensor): number[] {
  return Array.from(tensor.dataSync());
}
