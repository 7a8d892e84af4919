import { selectBackend } from '@imecd/backend';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { syntheticTensor } from './synthetic.test-helper';
import { tableSoftmaxCrossEntropy } from './table-softmax-cross-entropy';
import { expectTensorsClose } from './testing/index';

// On wasm, the backend the fused loss is tuned for (its table gradient is taken as Pᵀ·H through
// an explicit transpose). selectBackend registers the UnsortedSegmentSum kernel wasm lacks.
beforeAll(async () => {
  await selectBackend({ backend: 'wasm', env: {} });
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

/** The unfused reference on plain tfjs ops: full logits, log-softmax, one-hot pick, mean. */
function reference(hidden: tf.Tensor2D, table: tf.Tensor2D, targets: Int32Array): tf.Scalar {
  return tf.tidy(() => {
    const items = tf.slice(table, [1, 0], [table.shape[0] - 1, table.shape[1]]);
    const logSoftmax = tf.logSoftmax(tf.matMul(hidden, items, false, true));
    const oneHot = tf.oneHot(
      tf.tensor1d(
        Array.from(targets, (target) => target - 1),
        'int32',
      ),
      table.shape[0] - 1,
    );
    return tf.neg(tf.mean(tf.sum(tf.mul(logSoftmax, oneHot), 1))) as tf.Scalar;
  });
}

describe('tableSoftmaxCrossEntropy on wasm', () => {
  it('has the loss and gradients of the plain ops over several chunks and repeated targets', () => {
    // SYNTHETIC: 300 positions over a 501-row table, 40 distinct targets (each repeated).
    const hidden = syntheticTensor<tf.Rank.R2>([300, 16], 11);
    const table = syntheticTensor<tf.Rank.R2>([501, 16], 12, 0.3);
    const targets = Int32Array.from({ length: 300 }, (_, position) => 1 + ((position * 37) % 40) * 12);
    const fused = (h: tf.Tensor, e: tf.Tensor) =>
      tableSoftmaxCrossEntropy(h as tf.Tensor2D, e as tf.Tensor2D, targets, { chunkSize: 64 });
    const plain = (h: tf.Tensor, e: tf.Tensor) => reference(h as tf.Tensor2D, e as tf.Tensor2D, targets);
    expectTensorsClose(fused(hidden, table), plain(hidden, table), 1e-5);
    const [fusedHidden, fusedTable] = tf.grads(fused)([hidden, table]);
    const [plainHidden, plainTable] = tf.grads(plain)([hidden, table]);
    expectTensorsClose(fusedHidden!, plainHidden!, 1e-6);
    expectTensorsClose(fusedTable!, plainTable!, 1e-6);
  });
});
