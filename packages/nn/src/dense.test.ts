import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDense } from './dense';
import { syntheticTensor } from './synthetic.test-helper';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose } from './testing/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  tf.disposeVariables();
});

describe('createDense', () => {
  it('computes x·W + b with hand-set weights, on inputs of any rank', () => {
    const dense = createDense({ inputSize: 2, outputSize: 3, seed: 1 });
    dense.kernel.assign(
      tf.tensor2d([
        [1, 0, 2],
        [0, 1, -1],
      ]),
    );
    dense.bias!.assign(tf.tensor1d([0.5, 0, 0]));
    expectTensorsClose(dense.apply(tf.tensor1d([1, 2])), [1.5, 2, 0]);
    const batched = dense.apply(tf.tensor3d([[[1, 2]], [[3, 4]]])); // [2, 1, 2]
    expect(batched.shape).toEqual([2, 1, 3]);
    expectTensorsClose(batched, [[[1.5, 2, 0]], [[3.5, 4, 2]]]);
  });

  it('names its variables under its scope and can drop the bias', () => {
    const withBias = createDense({ inputSize: 4, outputSize: 3, name: 'tower/projection', seed: 1 });
    expect(withBias.variables.map((variable) => variable.name)).toEqual([
      'tower/projection/kernel',
      'tower/projection/bias',
    ]);
    expectTensorsClose(withBias.bias!, [0, 0, 0]);
    const withoutBias = createDense({ inputSize: 4, outputSize: 3, useBias: false, name: 'plain', seed: 1 });
    expect(withoutBias.variables.map((variable) => variable.name)).toEqual(['plain/kernel']);
    expect(withoutBias.bias).toBeUndefined();
  });

  it('is deterministic per seed and differs across seeds', () => {
    const first = Array.from(createDense({ inputSize: 5, outputSize: 4, name: 'a', seed: 7 }).kernel.dataSync());
    const again = Array.from(createDense({ inputSize: 5, outputSize: 4, name: 'b', seed: 7 }).kernel.dataSync());
    const other = Array.from(createDense({ inputSize: 5, outputSize: 4, name: 'c', seed: 8 }).kernel.dataSync());
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('draws from the requested initializer', () => {
    const limit = Math.sqrt(6 / (40 + 60));
    const glorot = createDense({ inputSize: 40, outputSize: 60, name: 'glorot', seed: 3 }).kernel.dataSync();
    expect(Math.max(...glorot)).toBeLessThanOrEqual(limit);
    expect(Math.min(...glorot)).toBeGreaterThanOrEqual(-limit);
    expect(Math.max(...glorot)).toBeGreaterThan(0.9 * limit); // spans the interval, not a narrower one
    const normal = createDense({
      inputSize: 40,
      outputSize: 60,
      name: 'normal',
      seed: 3,
      initializer: 'normal(0.02)',
    }).kernel.dataSync();
    const variance = Array.from(normal).reduce((sum, value) => sum + value * value, 0) / normal.length;
    expect(Math.sqrt(variance)).toBeCloseTo(0.02, 3);
    const zeros = createDense({ inputSize: 4, outputSize: 2, name: 'zeros', initializer: 'zeros' }).kernel.dataSync();
    expect(Array.from(zeros)).toEqual(new Array(8).fill(0));
  });

  it('matches finite differences for input, kernel and bias', () => {
    const dense = createDense({ inputSize: 3, outputSize: 2, seed: 4 });
    dense.bias!.assign(tf.tensor1d([0.3, -0.2]));
    const input = syntheticTensor([2, 2, 3], 5);
    const weights = syntheticTensor([2, 2, 2], 6);
    expectGradientsClose((x) => tf.mul(tf.tanh(dense.apply(x!)), weights), [input, dense.kernel, dense.bias!]);
  });

  it('rejects bad options, taken names and inputs of the wrong width', () => {
    expect(() => createDense({ inputSize: 0, outputSize: 2 })).toThrow(InvalidArgumentError);
    expect(() => createDense({ inputSize: 2, outputSize: 1.5 })).toThrow(/outputSize/);
    expect(() => createDense({ inputSize: 2, outputSize: 2, initializer: 'normal(-1)' })).toThrow(/initializer/);
    expect(() => createDense({ inputSize: 2, outputSize: 2, name: 'a//b' })).toThrow(/name/);
    const dense = createDense({ inputSize: 2, outputSize: 2, name: 'taken' });
    expect(() => createDense({ inputSize: 2, outputSize: 2, name: 'taken' })).toThrow(/already exists/);
    expect(() => dense.apply(tf.zeros([4, 3]))).toThrow(ShapeMismatchError);
  });

  it('frees its variable names on dispose', () => {
    createDense({ inputSize: 2, outputSize: 2, name: 'reused' }).dispose();
    expect(() => createDense({ inputSize: 2, outputSize: 2, name: 'reused' })).not.toThrow();
  });

  it('leaks no tensors, forward and backward', async () => {
    const dense = createDense({ inputSize: 3, outputSize: 2, seed: 1 });
    const input = syntheticTensor([4, 3], 2);
    await expectNoLeakedTensors(() => tf.variableGrads(() => tf.sum(dense.apply(input))));
  });
});
