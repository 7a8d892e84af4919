import { ShapeMismatchError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { matMul2d } from './mat-mul-2d';
import { syntheticTensor } from './synthetic.test-helper';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose, recordMatMulFlags } from './testing/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('matMul2d', () => {
  it('multiplies hand-computed matrices', () => {
    const product = matMul2d(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tf.tensor2d([
        [5, 6],
        [7, 8],
      ]),
    );
    expectTensorsClose(product, [
      [19, 22],
      [43, 50],
    ]);
  });

  it('has the hand-computed gradient of sum(a·b)', () => {
    const a = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const b = tf.tensor2d([
      [5, 6],
      [7, 8],
    ]);
    const [gradientA, gradientB] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(matMul2d(x as tf.Tensor2D, y as tf.Tensor2D)),
    )([a, b]);
    // d/dA = 1·Bᵀ: each row holds B's row sums; d/dB = Aᵀ·1: each row holds A's column sums.
    expectTensorsClose(gradientA!, [
      [11, 15],
      [11, 15],
    ]);
    expectTensorsClose(gradientB!, [
      [4, 4],
      [6, 6],
    ]);
  });

  it('matches finite differences on a non-square product', () => {
    const a = syntheticTensor<tf.Rank.R2>([3, 4], 1);
    const b = syntheticTensor<tf.Rank.R2>([4, 2], 2);
    const weights = syntheticTensor([3, 2], 3);
    expectGradientsClose((x, y) => tf.mul(matMul2d(x as tf.Tensor2D, y as tf.Tensor2D), weights), [a, b]);
  });

  it('runs its backward pass without transpose flags, unlike tf.matMul', () => {
    const a = syntheticTensor<tf.Rank.R2>([3, 4], 4);
    const b = syntheticTensor<tf.Rank.R2>([4, 2], 5);
    const ours = recordMatMulFlags(() =>
      tf.grads((x: tf.Tensor, y: tf.Tensor) => matMul2d(x as tf.Tensor2D, y as tf.Tensor2D))([a, b]),
    );
    const stock = recordMatMulFlags(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y))([a, b]));
    expect(ours.length).toBe(3); // forward and two gradient products
    expect(ours.every((call) => !call.transposeA && !call.transposeB)).toBe(true);
    expect(stock.some((call) => call.transposeA || call.transposeB)).toBe(true);
  });

  it('rejects operands that do not fit', () => {
    expect(() => matMul2d(tf.zeros([2, 3]), tf.zeros([2, 3]))).toThrow(ShapeMismatchError);
    expect(() => matMul2d(tf.zeros([2, 3, 1]) as unknown as tf.Tensor2D, tf.zeros([3, 1]))).toThrow(
      /expected \[m, k\]/,
    );
  });

  it('leaks no tensors, forward and backward', async () => {
    const a = syntheticTensor<tf.Rank.R2>([3, 4], 6);
    const b = syntheticTensor<tf.Rank.R2>([4, 2], 7);
    await expectNoLeakedTensors(() =>
      tf.grads((x: tf.Tensor, y: tf.Tensor) => matMul2d(x as tf.Tensor2D, y as tf.Tensor2D))([a, b]),
    );
  });
});
