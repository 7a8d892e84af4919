import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectTensorsClose } from './expect-tensors-close';
import { TensorAssertionError } from './tensor-assertion-error';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('expectTensorsClose', () => {
  it('is absolute below 1 and relative above', () => {
    expect(() => expectTensorsClose(tf.tensor1d([0.1, 1000]), [0.1005, 1000.5], 1e-3)).not.toThrow();
    expect(() => expectTensorsClose(tf.tensor1d([0.1]), [0.102], 1e-3)).toThrow(/element 0/);
    expect(() => expectTensorsClose(tf.tensor1d([1000]), [1002], 1e-3)).toThrow(TensorAssertionError);
  });

  it('compares shapes, accepts tensors, and never passes NaN', () => {
    expect(() => expectTensorsClose(tf.zeros([2, 2]), [0, 0, 0, 0])).toThrow(/shape mismatch/);
    expect(() => expectTensorsClose(tf.ones([2]), tf.ones([2]))).not.toThrow();
    expect(() => expectTensorsClose(tf.tensor1d([Number.NaN]), [Number.NaN])).toThrow(TensorAssertionError);
  });
});
