import { ShapeMismatchError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lastState } from './last-state';
import { expectTensorsClose } from './testing/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('lastState', () => {
  it('takes position L − 1 of every row', () => {
    const states = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [
        [7, 8],
        [9, 10],
        [11, 12],
      ],
    ]);
    expectTensorsClose(lastState(states), [
      [5, 6],
      [11, 12],
    ]);
  });

  it('sends the gradient to the last position only', () => {
    const gradient = tf.grad((x: tf.Tensor) => lastState(x as tf.Tensor3D))(tf.zeros([1, 3, 2]));
    expectTensorsClose(gradient, [
      [
        [0, 0],
        [0, 0],
        [1, 1],
      ],
    ]);
  });

  it('rejects tensors that are not [B, L, D]', () => {
    expect(() => lastState(tf.zeros([2, 3]) as unknown as tf.Tensor3D)).toThrow(ShapeMismatchError);
  });
});
