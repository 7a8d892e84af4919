import { selectBackend } from '@imecd/backend';
import { ShapeMismatchError } from '@imecd/core';
import { expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nearestCodes } from './nearest-codes';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});

describe('nearestCodes', () => {
  it('finds the nearest code and its squared distance, the first one on ties', () => {
    const codebook = tf.tensor2d([
      [0, 0],
      [2, 0],
      [0, 2],
    ]);
    // (1.5, 0.2): 2.29, 0.29, 5.49; (1, 1) is 2 from every code; (−1, 3): 10, 18, 2.
    const { indices, squaredDistances } = nearestCodes(
      tf.tensor2d([
        [1.5, 0.2],
        [1, 1],
        [-1, 3],
      ]),
      codebook,
    );
    expect(Array.from(indices.dataSync())).toEqual([1, 0, 2]);
    expectTensorsClose(squaredDistances, [0.29, 2, 2], 1e-5);
  });

  it('never reports a negative distance for an input equal to a code', () => {
    const code = [[1e3 + 0.1, -1e3 - 0.3]];
    const { squaredDistances } = nearestCodes(tf.tensor2d(code), tf.tensor2d(code));
    expect(squaredDistances.dataSync()[0]).toBeGreaterThanOrEqual(0);
  });

  it('rejects mismatched shapes and leaks nothing', async () => {
    expect(() => nearestCodes(tf.zeros([3]) as unknown as tf.Tensor2D, tf.zeros([2, 3]))).toThrow(ShapeMismatchError);
    expect(() => nearestCodes(tf.zeros([4, 3]), tf.zeros([2, 2]))).toThrow('expected [K, 3], got [2, 2]');
    const inputs = tf.ones([4, 3]) as tf.Tensor2D;
    const codebook = tf.zeros([2, 3]) as tf.Tensor2D;
    await expectNoLeakedTensors(() => nearestCodes(inputs, codebook));
  });
});
