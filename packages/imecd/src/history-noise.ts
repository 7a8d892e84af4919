import { createRng, deriveSeed } from '@imecd/core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * x_T [size, dataSize] for left-padded `histories` [size, length]: row r is N(0, I) drawn from a
 * seed of `seed` and the real items of row r (padding skipped), so it depends on nothing else.
 */
export function historyNoise(
  histories: Int32Array,
  size: number,
  length: number,
  dataSize: number,
  seed: number,
): Tensor2D {
  const values = new Float32Array(size * dataSize);
  for (let row = 0; row < size; row++) {
    const items = Array.from(histories.subarray(row * length, (row + 1) * length)).filter((item) => item !== 0);
    const draws = createRng(deriveSeed(seed, items.length, ...items));
    for (let column = 0; column < dataSize; column++) values[row * dataSize + column] = draws.normal();
  }
  return tf.tensor2d(values, [size, dataSize]);
}
