import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticTensor, useCpuBackend } from './synthetic.test-helper';
import { topKMask } from './top-k-mask';

beforeAll(useCpuBackend);

describe('topKMask', () => {
  it('marks the k largest entries of each row', () => {
    const scores = tf.tensor2d([
      [1, 3, 2],
      [0.5, -1, 2],
    ]);
    expectTensorsClose(topKMask(scores, 1), [
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expectTensorsClose(topKMask(scores, 2), [
      [0, 1, 1],
      [1, 0, 1],
    ]);
    expectTensorsClose(topKMask(scores, 3), [
      [1, 1, 1],
      [1, 1, 1],
    ]);
  });

  it('keeps exactly k entries when scores tie, the lower indices first', () => {
    expectTensorsClose(
      topKMask(
        tf.tensor2d([
          [2, 2, 2, 1],
          [1, 3, 3, 3],
        ]),
        2,
      ),
      [
        [1, 1, 0, 0],
        [0, 1, 1, 0],
      ],
    );
  });

  it('has a zero gradient, so scores are differentiated only through the path that uses the mask', () => {
    const scores = tf.tensor2d([
      [1, 3, 2],
      [0.5, -1, 2],
    ]);
    // d/ds Σ mask ⊙ s = mask, the selection itself contributing nothing.
    const gradient = tf.grad((s: tf.Tensor) => tf.sum(tf.mul(topKMask(s as tf.Tensor2D, 2), s)))(scores);
    expectTensorsClose(gradient, [
      [0, 1, 1],
      [1, 0, 1],
    ]);
  });

  it('rejects a k outside [1, C] and scores that are not a matrix', () => {
    const scores = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => topKMask(scores, 0)).toThrow(InvalidArgumentError);
    expect(() => topKMask(scores, 4)).toThrow(/\[1, 3\]/);
    expect(() => topKMask(scores, 1.5)).toThrow(/k/);
    expect(() => topKMask(tf.zeros([3]) as unknown as tf.Tensor2D, 1)).toThrow(ShapeMismatchError);
  });

  it('leaks no tensors, forward and backward', async () => {
    const scores = syntheticTensor<tf.Rank.R2>([4, 5], 1);
    await expectNoLeakedTensors(() =>
      tf.grad((s: tf.Tensor) => tf.sum(tf.mul(topKMask(s as tf.Tensor2D, 2), s)))(scores),
    );
  });
});
