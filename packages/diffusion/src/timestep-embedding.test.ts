import { selectBackend } from '@imecd/backend';
import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sinusoidalTimestepEmbedding } from './timestep-embedding';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});

describe('sinusoidalTimestepEmbedding', () => {
  it('puts cosines before sines with frequencies maxPeriod^(−i/h), hand-computed', () => {
    // size 4: h = 2, f = [1, 10000^(−1/2) = 0.01].
    const embedding = sinusoidalTimestepEmbedding(tf.tensor1d([0, 1], 'int32'), 4);
    expectTensorsClose(
      embedding,
      [
        [1, 1, 0, 0],
        [Math.cos(1), Math.cos(0.01), Math.sin(1), Math.sin(0.01)],
      ],
      1e-6,
    );
  });

  it('pads an odd size with a zero column and honours maxPeriod', () => {
    const embedding = sinusoidalTimestepEmbedding(tf.tensor1d([2], 'int32'), 5, 100);
    // h = 2, f = [1, 100^(−1/2) = 0.1].
    expectTensorsClose(embedding, [[Math.cos(2), Math.cos(0.2), Math.sin(2), Math.sin(0.2), 0]], 1e-6);
  });

  it('rejects sizes below 2, a non-vector input and a bad period', () => {
    expect(() => sinusoidalTimestepEmbedding(tf.tensor1d([0], 'int32'), 1)).toThrow(InvalidArgumentError);
    expect(() => sinusoidalTimestepEmbedding(tf.tensor2d([[0]], [1, 1], 'int32') as unknown as tf.Tensor1D, 4)).toThrow(
      ShapeMismatchError,
    );
    expect(() => sinusoidalTimestepEmbedding(tf.tensor1d([0], 'int32'), 4, 0)).toThrow(/maxPeriod/);
  });

  it('leaks no tensors', async () => {
    const timesteps = tf.tensor1d([0, 3, 7], 'int32');
    await expectNoLeakedTensors(() => sinusoidalTimestepEmbedding(timesteps, 7));
  });
});
