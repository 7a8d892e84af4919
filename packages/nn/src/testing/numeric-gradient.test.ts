import { InvalidArgumentError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectTensorsClose } from './expect-tensors-close';
import { numericGradient } from './numeric-gradient';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('numericGradient', () => {
  it('recovers d/dx sum(x³) = 3x², hand-computed', () => {
    const gradient = numericGradient((x) => tf.pow(x, 3), tf.tensor1d([1, -2, 0.5]), 1e-2);
    // Central differences of a cubic are off by exactly ε² = 1e-4.
    expectTensorsClose(gradient, [3.0001, 12.0001, 0.7501], 1e-4);
  });

  it('perturbs a variable in place for closures and restores it afterwards', () => {
    const weight = tf.variable(tf.tensor1d([2, 3]), true, 'numeric-gradient/weight');
    const input = tf.tensor1d([5, 7]);
    const gradient = numericGradient(() => tf.mul(weight, input), weight, 1e-2);
    expectTensorsClose(gradient, [5, 7], 1e-4);
    expectTensorsClose(weight, [2, 3], 0);
    weight.dispose();
  });

  it('rejects a non-float input and a non-positive epsilon', () => {
    expect(() => numericGradient((x) => x, tf.tensor1d([1], 'int32'))).toThrow(InvalidArgumentError);
    expect(() => numericGradient((x) => x, tf.tensor1d([1]), 0)).toThrow(/epsilon/);
  });
});
