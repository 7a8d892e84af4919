import { selectBackend } from '@imecd/backend';
import { expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { stopGradient, straightThrough } from './stop-gradient';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});

describe('stopGradient', () => {
  it('keeps the value and blocks the gradient', () => {
    const x = tf.tensor1d([1, -2, 3]);
    expectTensorsClose(stopGradient(x), [1, -2, 3]);
    // d/dx [x² + sg(x)²] = 2x: the stopped branch adds nothing.
    const gradient = tf.grad((input: tf.Tensor) => tf.sum(tf.add(tf.square(input), tf.square(stopGradient(input)))))(x);
    expectTensorsClose(gradient, [2, -4, 6]);
  });
});

describe('straightThrough', () => {
  it('returns the codes bit for bit and copies the gradient to the inputs only', async () => {
    const inputs = tf.tensor1d([0.1, 0.7, -0.3]);
    const codes = tf.tensor1d([0.3, 1 / 3, -1 / 7]);
    expect(Array.from(straightThrough(inputs, codes).dataSync())).toEqual(Array.from(codes.dataSync()));
    const weights = tf.tensor1d([2, -1, 5]);
    const [inputGradient, codeGradient] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(straightThrough(a, b), weights)),
    )([inputs, codes]);
    expectTensorsClose(inputGradient!, [2, -1, 5]);
    expectTensorsClose(codeGradient!, [0, 0, 0]);
    await expectNoLeakedTensors(() =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(straightThrough(a, b)))([inputs, codes]),
    );
  });
});
