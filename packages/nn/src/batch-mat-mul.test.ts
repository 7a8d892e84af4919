import { ShapeMismatchError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchMatMul } from './batch-mat-mul';
import { syntheticTensor } from './synthetic.test-helper';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose, recordMatMulFlags } from './testing/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const flagCombinations = [
  { transposeA: false, transposeB: false },
  { transposeA: true, transposeB: false },
  { transposeA: false, transposeB: true },
  { transposeA: true, transposeB: true },
];

describe('batchMatMul', () => {
  it('multiplies each batch entry, hand-computed', () => {
    const a = tf.tensor3d([[[1, 2]], [[3, 4]]]); // [2, 1, 2]
    const b = tf.tensor3d([
      [[1], [1]],
      [[2], [-1]],
    ]); // [2, 2, 1]
    expectTensorsClose(batchMatMul(a, b), [[[3]], [[2]]]);
    // aᵀ per entry: [2, 1]·[1, 2] outer products.
    expectTensorsClose(batchMatMul(a, tf.tensor3d([[[1, 0]], [[0, 1]]]), { transposeA: true }), [
      [
        [1, 0],
        [2, 0],
      ],
      [
        [0, 3],
        [0, 4],
      ],
    ]);
  });

  it.each(flagCombinations)('agrees with tf.matMul for %o', (flags) => {
    const a = syntheticTensor<tf.Rank.R3>(flags.transposeA ? [3, 4, 2] : [3, 2, 4], 1);
    const b = syntheticTensor<tf.Rank.R3>(flags.transposeB ? [3, 5, 4] : [3, 4, 5], 2);
    expectTensorsClose(batchMatMul(a, b, flags), tf.matMul(a, b, flags.transposeA, flags.transposeB));
  });

  it.each(flagCombinations)('matches finite differences for %o', (flags) => {
    const a = syntheticTensor<tf.Rank.R3>(flags.transposeA ? [2, 3, 2] : [2, 2, 3], 3);
    const b = syntheticTensor<tf.Rank.R3>(flags.transposeB ? [2, 4, 3] : [2, 3, 4], 4);
    const weights = syntheticTensor([2, 2, 4], 5);
    expectGradientsClose((x, y) => tf.mul(batchMatMul(x as tf.Tensor3D, y as tf.Tensor3D, flags), weights), [a, b]);
  });

  it('takes the 2-D path for a batch of one, with the same values and gradients', () => {
    const a = syntheticTensor<tf.Rank.R3>([1, 3, 2], 6);
    const b = syntheticTensor<tf.Rank.R3>([1, 4, 2], 7);
    expectTensorsClose(batchMatMul(a, b, { transposeB: true }), tf.matMul(a, b, false, true));
    expectGradientsClose(
      (x, y) => tf.square(batchMatMul(x as tf.Tensor3D, y as tf.Tensor3D, { transposeB: true })),
      [a, b],
    );
  });

  it('never calls BatchMatMul with transpose flags, forward or backward', () => {
    const a = syntheticTensor<tf.Rank.R3>([2, 4, 3], 8); // aᵀ: [2, 3, 4]
    const b = syntheticTensor<tf.Rank.R3>([2, 5, 4], 9); // bᵀ: [2, 4, 5]
    const calls = recordMatMulFlags(() =>
      tf.grads((x: tf.Tensor, y: tf.Tensor) =>
        batchMatMul(x as tf.Tensor3D, y as tf.Tensor3D, { transposeA: true, transposeB: true }),
      )([a, b]),
    );
    expect(calls.length).toBe(3);
    expect(calls.every((call) => !call.transposeA && !call.transposeB)).toBe(true);
  });

  it('rejects mismatched batches, inner sizes and ranks', () => {
    expect(() => batchMatMul(tf.zeros([2, 3, 4]), tf.zeros([3, 4, 5]))).toThrow(ShapeMismatchError);
    expect(() => batchMatMul(tf.zeros([2, 3, 4]), tf.zeros([2, 3, 5]))).toThrow(/expected \[2, 4, n\]/);
    expect(() => batchMatMul(tf.zeros([2, 3, 4]), tf.zeros([2, 3, 5]), { transposeA: true, transposeB: true })).toThrow(
      /expected \[2, n, 3\]/,
    );
    expect(() => batchMatMul(tf.zeros([3, 4]) as unknown as tf.Tensor3D, tf.zeros([2, 4, 5]))).toThrow(
      ShapeMismatchError,
    );
  });

  it('leaks no tensors, forward and backward', async () => {
    const a = syntheticTensor<tf.Rank.R3>([2, 3, 4], 10);
    const b = syntheticTensor<tf.Rank.R3>([2, 5, 4], 11);
    await expectNoLeakedTensors(() =>
      tf.grads((x: tf.Tensor, y: tf.Tensor) => batchMatMul(x as tf.Tensor3D, y as tf.Tensor3D, { transposeB: true }))([
        a,
        b,
      ]),
    );
  });
});
