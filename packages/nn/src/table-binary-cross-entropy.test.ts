import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticTensor } from './synthetic.test-helper';
import { tableBinaryCrossEntropy } from './table-binary-cross-entropy';
import { expectGradientsClose, expectNoLeakedTensors } from './testing/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('tableBinaryCrossEntropy', () => {
  const hidden = syntheticTensor<tf.Rank.R2>([5, 3], 1);
  const table = syntheticTensor<tf.Rank.R2>([7, 3], 2);
  const targets = Int32Array.from([1, 6, 2, 2, 4]);
  const negatives = Int32Array.from([3, 5, 6, 1, 2]);

  it('equals a hand-computed case', () => {
    const h = tf.tensor2d([
      [1, 0],
      [0, 2],
    ]);
    const e = tf.tensor2d([
      [0, 0],
      [2, 0],
      [1, 0],
      [0, 1],
    ]);
    const logSigmoid = (z: number) => -Math.log1p(Math.exp(-z));
    // row 0: target 1 (score 2), negative 2 (score 1); row 1: target 3 (score 2), negative 1 (score 0).
    const expected = -(logSigmoid(2) + logSigmoid(-1) + logSigmoid(2) + logSigmoid(-0)) / 2;
    const loss = tableBinaryCrossEntropy(h, e, Int32Array.from([1, 3]), Int32Array.from([2, 1]));
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 6);
    tf.dispose([h, e, loss]);
  });

  it('is 2·log 2 when every score is zero, and falls as the target outscores the negative', () => {
    const zeros = tf.zeros([2, 3]) as tf.Tensor2D;
    const atZero = tableBinaryCrossEntropy(zeros, table, Int32Array.from([1, 2]), Int32Array.from([3, 4]));
    expect(atZero.dataSync()[0]).toBeCloseTo(2 * Math.log(2), 6);
    const e = tf.tensor2d([
      [0, 0],
      [1, 0],
      [-1, 0],
    ]);
    const apart = (scale: number) => {
      const h = tf.tensor2d([[scale, 0]]);
      const value = tableBinaryCrossEntropy(h, e, Int32Array.from([1]), Int32Array.from([2])).dataSync()[0]!;
      h.dispose();
      return value;
    };
    expect(apart(1)).toBeLessThan(apart(0.5));
    expect(apart(8)).toBeLessThan(1e-3);
    tf.dispose([zeros, atZero, e]);
  });

  it('matches finite differences for hidden and the table, and leaks nothing', async () => {
    expectGradientsClose(
      (h, e) => tableBinaryCrossEntropy(h as tf.Tensor2D, e as tf.Tensor2D, targets, negatives),
      [hidden, table],
    );
    await expectNoLeakedTensors(() =>
      tf.grads((h: tf.Tensor, e: tf.Tensor) =>
        tableBinaryCrossEntropy(h as tf.Tensor2D, e as tf.Tensor2D, targets, negatives),
      )([hidden, table]),
    );
  });

  it('rejects ids outside the table and a negative count other than one per row', () => {
    expect(() => tableBinaryCrossEntropy(hidden, table, targets, Int32Array.from([1, 2, 3, 4, 7]))).toThrow(
      InvalidArgumentError,
    );
    expect(() => tableBinaryCrossEntropy(hidden, table, targets, Int32Array.from([1, 2]))).toThrow(ShapeMismatchError);
    expect(() => tableBinaryCrossEntropy(hidden, table, Int32Array.from([1, 2]), negatives)).toThrow(
      ShapeMismatchError,
    );
  });
});
