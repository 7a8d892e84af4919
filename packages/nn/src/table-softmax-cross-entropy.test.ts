import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticTensor } from './synthetic.test-helper';
import { tableSoftmaxCrossEntropy } from './table-softmax-cross-entropy';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose } from './testing/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The unfused reference: full logits, log-softmax, pick the target. */
function reference(hidden: tf.Tensor2D, table: tf.Tensor2D, targets: Int32Array, skipPaddingRow = true): tf.Scalar {
  return tf.tidy(() => {
    const first = skipPaddingRow ? 1 : 0;
    const items = tf.slice(table, [first, 0], [table.shape[0] - first, table.shape[1]]);
    const logSoftmax = tf.logSoftmax(tf.matMul(hidden, items, false, true));
    const oneHot = tf.oneHot(
      tf.tensor1d(
        Array.from(targets, (t) => t - first),
        'int32',
      ),
      table.shape[0] - first,
    );
    return tf.neg(tf.mean(tf.sum(tf.mul(logSoftmax, oneHot), 1))) as tf.Scalar;
  });
}

describe('tableSoftmaxCrossEntropy', () => {
  const hidden = syntheticTensor<tf.Rank.R2>([7, 3], 1);
  const table = syntheticTensor<tf.Rank.R2>([6, 3], 2);
  const targets = Int32Array.from([1, 5, 2, 2, 3, 4, 1]);

  it('equals a hand-computed case and the unfused reference', () => {
    const h = tf.tensor2d([
      [2, 0],
      [0, 1],
    ]);
    const e = tf.tensor2d([
      [9, 9],
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    // Row 1 logits over rows 1..3 = [2, 0, 2], target 1; row 2 logits = [0, 1, 1], target 3.
    const expected = (-Math.log(Math.exp(2) / (2 * Math.exp(2) + 1)) - Math.log(Math.E / (1 + 2 * Math.E))) / 2;
    expect(tableSoftmaxCrossEntropy(h, e, Int32Array.from([1, 3])).dataSync()[0]).toBeCloseTo(expected, 5);
    expectTensorsClose(
      tableSoftmaxCrossEntropy(hidden, table, targets, { chunkSize: 3 }),
      reference(hidden, table, targets),
      1e-5,
    );
    expectTensorsClose(
      tableSoftmaxCrossEntropy(hidden, table, Int32Array.from([0, 5, 2, 2, 3, 4, 0]), { skipPaddingRow: false }),
      reference(hidden, table, Int32Array.from([0, 5, 2, 2, 3, 4, 0]), false),
      1e-5,
    );
  });

  it('has the gradients of the unfused reference, for any chunk size', () => {
    const expected = tf.grads((h, e) => reference(h as tf.Tensor2D, e as tf.Tensor2D, targets))([hidden, table]);
    for (const chunkSize of [1, 3, 100]) {
      const actual = tf.grads((h, e) =>
        tableSoftmaxCrossEntropy(h as tf.Tensor2D, e as tf.Tensor2D, targets, { chunkSize }),
      )([hidden, table]);
      expectTensorsClose(actual[0]!, expected[0]!, 1e-5);
      expectTensorsClose(actual[1]!, expected[1]!, 1e-5);
      // The padding row gets no gradient.
      expect(Array.from(tf.slice(actual[1]!, [0, 0], [1, 3]).dataSync())).toEqual([0, 0, 0]);
    }
  });

  it('matches finite differences', () => {
    expectGradientsClose(
      (h, e) => tableSoftmaxCrossEntropy(h as tf.Tensor2D, e as tf.Tensor2D, targets, { chunkSize: 4 }),
      [hidden, table],
    );
  });

  it('leaks no tensors forward or backward', async () => {
    await expectNoLeakedTensors(() =>
      tf.grads((h, e) => tableSoftmaxCrossEntropy(h as tf.Tensor2D, e as tf.Tensor2D, targets, { chunkSize: 2 }))([
        hidden,
        table,
      ]),
    );
  });

  it('rejects mismatched shapes and out-of-range targets', () => {
    expect(() => tableSoftmaxCrossEntropy(hidden, table, Int32Array.from([1, 2]))).toThrow(/targets/);
    expect(() => tableSoftmaxCrossEntropy(hidden, table, Int32Array.from([0, 5, 2, 2, 3, 4, 1]))).toThrow(
      /outside 1..5/,
    );
    expect(() => tableSoftmaxCrossEntropy(hidden, tf.zeros([6, 4]) as tf.Tensor2D, targets)).toThrow(/table/);
    expect(() => tableSoftmaxCrossEntropy(hidden, table, targets, { chunkSize: 0 })).toThrow(/chunkSize/);
  });
});
