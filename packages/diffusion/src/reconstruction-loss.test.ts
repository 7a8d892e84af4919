import { selectBackend } from '@imecd/backend';
import { ShapeMismatchError } from '@imecd/core';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { reconstructionLoss } from './reconstruction-loss';
import { syntheticTensor } from './synthetic.test-helper';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});

describe('reconstructionLoss', () => {
  it('is the mean squared error over every element, hand-computed', () => {
    // Differences 1, −2, 0, 3 → (1 + 4 + 0 + 9) / 4.
    expectTensorsClose(
      reconstructionLoss(
        tf.tensor2d([
          [2, 0],
          [1, 4],
        ]),
        tf.tensor2d([
          [1, 2],
          [1, 1],
        ]),
      ),
      3.5,
    );
  });

  it('matches finite differences in both arguments', () => {
    expectGradientsClose(
      (a, b) => reconstructionLoss(a as tf.Tensor2D, b as tf.Tensor2D),
      [syntheticTensor([3, 2], 1), syntheticTensor([3, 2], 2)],
    );
  });

  it('rejects targets of another shape and leaks nothing', async () => {
    expect(() => reconstructionLoss(tf.zeros([2, 2]) as tf.Tensor2D, tf.zeros([2, 3]) as tf.Tensor2D)).toThrow(
      ShapeMismatchError,
    );
    const a = tf.ones([2, 2]) as tf.Tensor2D;
    await expectNoLeakedTensors(() => tf.grads((x: tf.Tensor) => reconstructionLoss(x as tf.Tensor2D, a))([a]));
  });
});
