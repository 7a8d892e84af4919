import { InvalidArgumentError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampledTableSoftmaxCrossEntropy } from './sampled-softmax-cross-entropy';
import { syntheticTensor } from './synthetic.test-helper';
import { tableSoftmaxCrossEntropy } from './table-softmax-cross-entropy';
import { expectGradientsClose, expectNoLeakedTensors } from './testing/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('sampledTableSoftmaxCrossEntropy', () => {
  const hidden = syntheticTensor<tf.Rank.R2>([5, 3], 1);
  const table = syntheticTensor<tf.Rank.R2>([7, 3], 2);
  const targets = Int32Array.from([1, 6, 2, 2, 4]);

  it('equals the full softmax when the negatives are every item once (a target among them is left out)', () => {
    const everyItem = Int32Array.from([1, 2, 3, 4, 5, 6]); // rows 1..6: each row's target is among them
    const sampled = sampledTableSoftmaxCrossEntropy(hidden, table, targets, everyItem);
    const full = tableSoftmaxCrossEntropy(hidden, table, targets);
    expect(sampled.dataSync()[0]).toBeCloseTo(full.dataSync()[0]!, 5);
    tf.dispose([sampled, full]);
  });

  it('equals a hand-computed case', () => {
    const h = tf.tensor2d([[1, 0]]);
    const e = tf.tensor2d([
      [0, 0],
      [2, 0],
      [1, 0],
      [0, 1],
    ]);
    // target 1 (score 2); negatives 2 (score 1), 3 (score 0), 3 again (score 0).
    const expected = Math.log(Math.exp(2) + Math.exp(1) + 2) - 2;
    expect(
      sampledTableSoftmaxCrossEntropy(h, e, Int32Array.from([1]), Int32Array.from([2, 3, 3])).dataSync()[0],
    ).toBeCloseTo(expected, 5);
  });

  it('matches finite differences for hidden and the table, and leaks nothing', async () => {
    const negatives = Int32Array.from([3, 5, 6, 2]);
    expectGradientsClose(
      (h, e) => sampledTableSoftmaxCrossEntropy(h as tf.Tensor2D, e as tf.Tensor2D, targets, negatives),
      [hidden, table],
    );
    await expectNoLeakedTensors(() =>
      tf.grads((h: tf.Tensor, e: tf.Tensor) =>
        sampledTableSoftmaxCrossEntropy(h as tf.Tensor2D, e as tf.Tensor2D, targets, negatives),
      )([hidden, table]),
    );
  });

  it('rejects ids outside the table and empty inputs', () => {
    expect(() => sampledTableSoftmaxCrossEntropy(hidden, table, targets, Int32Array.from([7]))).toThrow(
      InvalidArgumentError,
    );
    expect(() => sampledTableSoftmaxCrossEntropy(hidden, table, targets, new Int32Array(0))).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      sampledTableSoftmaxCrossEntropy(hidden, table, Int32Array.from([1, 2]), Int32Array.from([3])),
    ).toThrow();
  });
});
