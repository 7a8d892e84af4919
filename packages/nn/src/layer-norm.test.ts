import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLayerNorm } from './layer-norm';
import { syntheticTensor } from './synthetic.test-helper';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose } from './testing/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  tf.disposeVariables();
});

describe('createLayerNorm', () => {
  it('normalises the last axis, hand-computed', () => {
    const norm = createLayerNorm({ size: 3 });
    // [1, 2, 3]: mean 2, variance 2/3, so (x − 2) / sqrt(2/3) = [−1.2247449, 0, 1.2247449].
    expectTensorsClose(
      norm.apply(
        tf.tensor2d([
          [1, 2, 3],
          [5, 5, 5],
        ]),
      ),
      [
        [-1.2247449, 0, 1.2247449],
        [0, 0, 0],
      ],
    );
    norm.gamma.assign(tf.tensor1d([2, 2, 2]));
    norm.beta.assign(tf.tensor1d([1, 0, 0]));
    expectTensorsClose(norm.apply(tf.tensor1d([1, 2, 3])), [-1.4494898, 0, 2.4494898]);
  });

  it('uses epsilon inside the square root', () => {
    const norm = createLayerNorm({ size: 2, epsilon: 1, name: 'wide' });
    // [0, 2]: mean 1, variance 1, so (x − 1) / sqrt(1 + 1).
    expectTensorsClose(norm.apply(tf.tensor1d([0, 2])), [-Math.SQRT1_2, Math.SQRT1_2]);
  });

  it('names gamma and beta under its scope', () => {
    expect(createLayerNorm({ size: 4, name: 'encoder/norm' }).variables.map((variable) => variable.name)).toEqual([
      'encoder/norm/gamma',
      'encoder/norm/beta',
    ]);
  });

  it('matches finite differences for input, gamma and beta', () => {
    const norm = createLayerNorm({ size: 4 });
    norm.gamma.assign(tf.tensor1d([1.5, 0.5, -1, 2]));
    norm.beta.assign(tf.tensor1d([0.1, 0.2, 0.3, 0.4]));
    const input = syntheticTensor([2, 3, 4], 1);
    const weights = syntheticTensor([2, 3, 4], 2);
    // Weighted, because the plain sum of a normalised row is constant and has zero gradient.
    expectGradientsClose((x) => tf.mul(norm.apply(x!), weights), [input, norm.gamma, norm.beta]);
  });

  it('rejects bad options and inputs of the wrong width', () => {
    expect(() => createLayerNorm({ size: -1 })).toThrow(InvalidArgumentError);
    expect(() => createLayerNorm({ size: 2, epsilon: 0 })).toThrow(/epsilon/);
    expect(() => createLayerNorm({ size: 2 }).apply(tf.zeros([2, 3]))).toThrow(ShapeMismatchError);
  });

  it('leaks no tensors, forward and backward', async () => {
    const norm = createLayerNorm({ size: 4 });
    const input = syntheticTensor([3, 4], 3);
    await expectNoLeakedTensors(() => tf.variableGrads(() => tf.sum(tf.square(norm.apply(input)))));
  });
});
