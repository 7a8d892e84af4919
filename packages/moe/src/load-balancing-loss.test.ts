import { ShapeMismatchError } from '@imecd/core';
import { expectGradientsClose, expectNoLeakedTensors } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBalancingLoss } from './load-balancing-loss';
import { syntheticTensor, useCpuBackend } from './synthetic.test-helper';

beforeAll(useCpuBackend);

const lossOf = (weights: tf.TensorLike, mask?: tf.TensorLike): number =>
  loadBalancingLoss(tf.tensor(weights), mask === undefined ? {} : { mask: tf.tensor(mask) }).dataSync()[0]!;

describe('loadBalancingLoss', () => {
  it('is 0 when every expert carries the same total weight', () => {
    expect(
      lossOf([
        [0.5, 0.5],
        [0.5, 0.5],
      ]),
    ).toBeCloseTo(0, 6);
    expect(
      lossOf([
        [0.75, 0.25],
        [0.25, 0.75],
      ]),
    ).toBeCloseTo(0, 6); // importance [1, 1]
  });

  it('is K − 1 when one expert takes everything', () => {
    expect(
      lossOf([
        [1, 0],
        [1, 0],
      ]),
    ).toBeCloseTo(1, 6);
    // importance [3, 0, 0, 0]: mean 0.75, variance (2.25² + 3 · 0.75²) / 4 = 1.6875, CV² = 3.
    expect(
      lossOf([
        [1, 0, 0, 0],
        [1, 0, 0, 0],
        [1, 0, 0, 0],
      ]),
    ).toBeCloseTo(3, 5);
  });

  it('is Var(I) / Mean(I)² on a hand-computed case', () => {
    // importance [1.4, 0.6]: mean 1, variance 0.16.
    expect(
      lossOf([
        [0.6, 0.4],
        [0.8, 0.2],
      ]),
    ).toBeCloseTo(0.16, 6);
  });

  it('counts only the rows the mask marks, over any leading shape', () => {
    // Only row 0 counts: importance [0.6, 0.4], mean 0.5, variance 0.01, CV² 0.04.
    expect(
      lossOf(
        [
          [0.6, 0.4],
          [0.8, 0.2],
        ],
        [1, 0],
      ),
    ).toBeCloseTo(0.04, 6);
    expect(
      lossOf(
        [
          [
            [0.6, 0.4],
            [0.8, 0.2],
          ],
        ],
        [[1, 0]],
      ),
    ).toBeCloseTo(0.04, 6); // [B, L, K]
    expect(
      lossOf([
        [
          [0.6, 0.4],
          [0.8, 0.2],
        ],
      ]),
    ).toBeCloseTo(0.16, 6);
  });

  it('is 0 for a single expert and finite when nothing is counted', () => {
    expect(lossOf([[1], [1]])).toBe(0);
    expect(lossOf([[0.6, 0.4]], [0])).toBe(0);
  });

  it('matches finite differences for the gate weights', () => {
    const weights = tf.softmax(syntheticTensor([3, 2, 4], 1));
    expectGradientsClose((w) => loadBalancingLoss(w!), [weights]);
  });

  it('rejects a scalar and a mask of the wrong shape, naming both shapes', () => {
    expect(() => loadBalancingLoss(tf.scalar(1))).toThrow(ShapeMismatchError);
    expect(() => loadBalancingLoss(tf.ones([2, 3, 4]), { mask: tf.ones([2]) })).toThrow(/expected \[2, 3\].*got \[2\]/);
  });

  it('leaks no tensors', async () => {
    const weights = tf.softmax(syntheticTensor([5, 3], 2));
    await expectNoLeakedTensors(() => tf.grad((w: tf.Tensor) => loadBalancingLoss(w, { mask: tf.ones([5]) }))(weights));
  });
});
