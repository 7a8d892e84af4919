import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hotMatMul, hotRowsFromCodes } from './hot-rows';
import { createMixtureOfExperts, type MixtureOfExpertsOptions } from './mixture-of-experts';
import { expectSameMixture, syntheticTensor, useCpuBackend, values } from './synthetic.test-helper';

beforeAll(useCpuBackend);
afterEach(() => {
  tf.disposeVariables();
});

/** Synthetic codes: 5 rows × 3 levels of 4 codes each (input width 12). */
const CODES = [0, 3, 1, 2, 2, 0, 3, 1, 1, 1, 0, 3, 0, 0, 2];
const LEVELS = 3;
const CODES_PER_LEVEL = 4;

/** The materialised multi-hot matrix of CODES, [5, 12]: what the hot rows stand for. */
function denseOf(codes: number[]): tf.Tensor2D {
  const rows = codes.length / LEVELS;
  const dense = new Float32Array(rows * LEVELS * CODES_PER_LEVEL);
  codes.forEach((code, flat) => {
    dense[Math.floor(flat / LEVELS) * LEVELS * CODES_PER_LEVEL + (flat % LEVELS) * CODES_PER_LEVEL + code] = 1;
  });
  return tf.tensor2d(dense, [rows, LEVELS * CODES_PER_LEVEL]);
}

describe('hotRowsFromCodes', () => {
  it('puts level l’s code c at column l · codesPerLevel + c', () => {
    const hot = hotRowsFromCodes([1, 0, 3, 2], 2, 4);
    expect(hot.hotColumns.shape).toEqual([2, 2]);
    expect(values(hot.hotColumns)).toEqual([1, 4, 3, 6]);
  });

  it('rejects codes out of range, ragged lengths and bad sizes', () => {
    expect(() => hotRowsFromCodes([1, 4], 2, 4)).toThrow(/entry 1 \(row 0, level 1\) is 4, outside 0\.\.3/);
    expect(() => hotRowsFromCodes([1, 2, 3], 2, 4)).toThrow(ShapeMismatchError);
    expect(() => hotRowsFromCodes([1], 0, 4)).toThrow(InvalidArgumentError);
  });
});

describe('hotMatMul', () => {
  /** The form it replaces: all columns gathered at once, [N · levels, width], summed over levels. */
  const gatherAll = (columns: tf.Tensor2D, kernel: tf.Tensor2D) =>
    tf.sum(
      tf.reshape(tf.gather(kernel, tf.reshape(columns, [-1])), [columns.shape[0], columns.shape[1], kernel.shape[1]]),
      1,
    );

  it('equals the multi-hot product, values and ∂kernel, also where two levels hit one column', () => {
    const columns = tf.tensor2d([0, 5, 11, 1, 1, 6, 3, 8, 8], [3, 3], 'int32'); // rows 1 and 2 repeat a column
    const dense = tf.tensor2d(
      [
        [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1],
        [0, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
        [0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0],
      ],
      [3, 12],
    );
    const kernel = syntheticTensor<tf.Rank.R2>([12, 2], 21);
    const weights = syntheticTensor<tf.Rank.R2>([3, 2], 22);
    const hot = { hotColumns: columns };
    // cpu's Sum adds the levels in another order: equal to rounding (on wasm to the bit, see the wasm test).
    expectTensorsClose(hotMatMul(hot, kernel), gatherAll(columns, kernel), 1e-6);
    const fromHot = tf.grad((k) => tf.sum(tf.mul(hotMatMul(hot, k as tf.Tensor2D), weights)))(kernel);
    const fromDense = tf.grad((k) => tf.sum(tf.mul(tf.matMul(dense, k as tf.Tensor2D), weights)))(kernel);
    expectTensorsClose(fromHot, fromDense, 1e-6);
    expectGradientsClose((k) => tf.sum(tf.mul(hotMatMul(hot, k as tf.Tensor2D), weights)), [kernel]);
  });

  it('gives zeros for rows without levels, and leaks nothing forward or backward', async () => {
    const kernel = syntheticTensor<tf.Rank.R2>([4, 3], 23);
    expect(values(hotMatMul({ hotColumns: tf.zeros([2, 0], 'int32') as tf.Tensor2D }, kernel))).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
    const hot = hotRowsFromCodes([1, 0, 0, 1], 2, 2);
    await expectNoLeakedTensors(() => hotMatMul(hot, kernel));
    await expectNoLeakedTensors(() => tf.grad((k) => tf.sum(hotMatMul(hot, k as tf.Tensor2D)))(kernel));
  });
});

describe.each([
  ['ID-guided, linear experts', { gating: 'guide', guideSize: 3 }],
  ['self-gated, linear experts', { gating: 'self' }],
  ['self-gated, MLP experts, noisy top-1 gate', { gating: 'self', expert: 'mlp', noisyGating: true, topK: 1 }],
] as const)('createMixtureOfExperts on hot rows (%s)', (_, variant) => {
  const options: MixtureOfExpertsOptions = {
    inputSize: LEVELS * CODES_PER_LEVEL,
    outputSize: 2,
    numExperts: 3,
    seed: 4,
    gateInitializer: 'glorot-uniform',
    ...variant,
  };
  const guide = syntheticTensor<tf.Rank.R2>([5, 3], 5);

  it('equals the mixture of the materialised multi-hot rows: output, gate weights, loss and weight gradients', () => {
    const moe = createMixtureOfExperts(options);
    const hot = hotRowsFromCodes(CODES, LEVELS, CODES_PER_LEVEL);
    const dense = denseOf(CODES);
    const call = { guide, training: true, seed: 7, mask: tf.tensor1d([1, 1, 0, 1, 1]) };
    expectSameMixture(moe, hot, dense, call, syntheticTensor([5, 2], 8), { values: 1e-5, gradients: 1e-5 });
  });

  it('matches finite differences in every weight it reads', () => {
    const moe = createMixtureOfExperts(options);
    const hot = hotRowsFromCodes(CODES, LEVELS, CODES_PER_LEVEL);
    const weights = syntheticTensor([5, 2], 9);
    const trainable = moe.variables.filter((variable) => variable.trainable && !variable.name.includes('noise'));
    expectGradientsClose(() => tf.sum(tf.mul(moe.apply(hot, { guide, training: false }).output, weights)), trainable);
  });

  it('leaks no tensors, forward and backward', async () => {
    const moe = createMixtureOfExperts(options);
    const hot = hotRowsFromCodes(CODES, LEVELS, CODES_PER_LEVEL);
    await expectNoLeakedTensors(() => moe.apply(hot, { guide, training: true, seed: 1 }));
    await expectNoLeakedTensors(() =>
      tf.variableGrads(
        () => moe.apply(hot, { guide, training: false }).loadBalancingLoss,
        moe.variables.filter((variable) => variable.trainable),
      ),
    );
  });
});

describe('createMixtureOfExperts on hot rows: errors', () => {
  it('rejects columns outside the input width, and input dropout', () => {
    const moe = createMixtureOfExperts({ inputSize: 8, outputSize: 2, gating: 'self', seed: 1 });
    expect(() => moe.apply(hotRowsFromCodes([1, 4], 2, 5), { training: false })).toThrow(/columns must lie in 0\.\.7/);
    const withDropout = createMixtureOfExperts({
      inputSize: 8,
      outputSize: 2,
      gating: 'self',
      dropout: 0.2,
      seed: 1,
      name: 'dropped',
    });
    expect(() => withDropout.apply(hotRowsFromCodes([1, 2], 2, 4), { training: true })).toThrow(/dropout/);
  });
});
