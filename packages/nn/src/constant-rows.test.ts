import { ShapeMismatchError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { constantRowsMatMul, createConstantRows, isConstantRows } from './constant-rows';
import { matMul2d } from './mat-mul-2d';
import { syntheticTensor } from './synthetic.test-helper';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose, recordMatMulFlags } from './testing/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('constantRowsMatMul', () => {
  it('gives x·W and the gradient of W that matMul2d gives', () => {
    const x = syntheticTensor<tf.Rank.R2>([5, 3], 1);
    const kernel = syntheticTensor<tf.Rank.R2>([3, 2], 2);
    const weights = syntheticTensor([5, 2], 3);
    const rows = createConstantRows(x);
    expectTensorsClose(constantRowsMatMul(rows, kernel), matMul2d(x, kernel));
    const [ours] = tf.grads((w: tf.Tensor) => tf.sum(tf.mul(constantRowsMatMul(rows, w as tf.Tensor2D), weights)))([
      kernel,
    ]);
    const [reference] = tf.grads((w: tf.Tensor) => tf.sum(tf.mul(matMul2d(x, w as tf.Tensor2D), weights)))([kernel]);
    expectTensorsClose(ours!, reference!);
  });

  it('matches finite differences in W', () => {
    const rows = createConstantRows(syntheticTensor<tf.Rank.R2>([4, 3], 4));
    const weights = syntheticTensor([4, 2], 5);
    expectGradientsClose(
      (w) => tf.mul(constantRowsMatMul(rows, w as tf.Tensor2D), weights),
      [syntheticTensor<tf.Rank.R2>([3, 2], 6)],
    );
  });

  it('runs two flag-free products per step (forward and ∂W) where matMul2d runs three', () => {
    const x = syntheticTensor<tf.Rank.R2>([6, 4], 7);
    const kernel = tf.variable(syntheticTensor<tf.Rank.R2>([4, 3], 8));
    const rows = createConstantRows(x);
    const ours = recordMatMulFlags(() => tf.variableGrads(() => tf.sum(constantRowsMatMul(rows, kernel))).grads);
    const before = recordMatMulFlags(() => tf.variableGrads(() => tf.sum(matMul2d(x, kernel))).grads);
    expect(ours).toHaveLength(2);
    expect(ours.every((call) => !call.transposeA && !call.transposeB)).toBe(true);
    expect(before).toHaveLength(3);
    kernel.dispose();
  });

  it('tells constant rows from tensors and other objects', () => {
    const rows = createConstantRows(tf.zeros([2, 3]));
    expect(isConstantRows(rows)).toBe(true);
    expect(isConstantRows(rows.values)).toBe(false);
    expect(isConstantRows({ hotColumns: tf.zeros([2, 1], 'int32') })).toBe(false);
    expect(isConstantRows(null)).toBe(false);
  });

  it('rejects operands that do not fit', () => {
    expect(() => createConstantRows(tf.zeros([2, 3, 1]) as unknown as tf.Tensor2D)).toThrow(ShapeMismatchError);
    const rows = createConstantRows(tf.zeros([2, 3]));
    expect(() => constantRowsMatMul(rows, tf.zeros([2, 4]))).toThrow(
      'Shape mismatch for kernel: expected [3, n], got [2, 4]',
    );
  });

  it('leaks no tensors, forward and backward', async () => {
    const rows = createConstantRows(syntheticTensor<tf.Rank.R2>([3, 4], 9));
    const kernel = syntheticTensor<tf.Rank.R2>([4, 2], 10);
    await expectNoLeakedTensors(() => tf.grads((w: tf.Tensor) => constantRowsMatMul(rows, w as tf.Tensor2D))([kernel]));
  });
});
