import { createConstantRows } from '@imecd/nn';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose, recordMatMulFlags } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMixtureOfExperts, type MixtureOfExpertsOptions } from './mixture-of-experts';
import { expectSameMixture, syntheticTensor, useCpuBackend } from './synthetic.test-helper';

beforeAll(useCpuBackend);
afterEach(() => {
  tf.disposeVariables();
});

describe.each([
  ['ID-guided, linear experts', { gating: 'guide', guideSize: 3 }],
  ['self-gated, linear experts', { gating: 'self' }],
  ['self-gated, MLP experts, noisy top-1 gate', { gating: 'self', expert: 'mlp', noisyGating: true, topK: 1 }],
] as const)('createMixtureOfExperts on constant rows (%s)', (_, variant) => {
  const options: MixtureOfExpertsOptions = {
    inputSize: 4,
    outputSize: 2,
    numExperts: 3,
    seed: 4,
    gateInitializer: 'glorot-uniform',
    ...variant,
  };
  const guide = syntheticTensor<tf.Rank.R2>([5, 3], 5);
  const features = syntheticTensor<tf.Rank.R2>([5, 4], 6);

  it('equals the mixture of the same rows as a tensor: output, gate weights, loss and weight gradients', () => {
    const moe = createMixtureOfExperts(options);
    const rows = createConstantRows(features);
    const call = { guide, training: true, seed: 7, mask: tf.tensor1d([1, 1, 0, 1, 1]) };
    expectSameMixture(moe, rows, features, call, syntheticTensor([5, 2], 8), { values: 1e-6, gradients: 1e-6 });
  });

  it('skips the gradient product of x: one matmul fewer per step than with a tensor', () => {
    const moe = createMixtureOfExperts(options);
    const rows = createConstantRows(features);
    const trainable = moe.variables.filter((variable) => variable.trainable);
    const step = (x: typeof rows | tf.Tensor2D) => () =>
      tf.variableGrads(() => tf.sum(moe.apply(x as tf.Tensor2D, { guide, training: false }).output), trainable).grads;
    expect(recordMatMulFlags(step(rows))).toHaveLength(recordMatMulFlags(step(features)).length - 1);
  });

  it('matches finite differences in every weight it reads', () => {
    const moe = createMixtureOfExperts(options);
    const rows = createConstantRows(features);
    const weights = syntheticTensor([5, 2], 9);
    const trainable = moe.variables.filter((variable) => variable.trainable && !variable.name.includes('noise'));
    expectGradientsClose(() => tf.sum(tf.mul(moe.apply(rows, { guide, training: false }).output, weights)), trainable);
  });

  it('leaks no tensors, forward and backward', async () => {
    const moe = createMixtureOfExperts(options);
    const rows = createConstantRows(features);
    await expectNoLeakedTensors(() => moe.apply(rows, { guide, training: true, seed: 1 }));
    await expectNoLeakedTensors(() =>
      tf.variableGrads(
        () => tf.sum(moe.apply(rows, { guide, training: false }).output),
        moe.variables.filter((variable) => variable.trainable),
      ),
    );
  });
});

describe('createMixtureOfExperts on constant rows: dropout and errors', () => {
  it('with input dropout while training, drops the same units as for the tensor; at inference it is the tensor', () => {
    const moe = createMixtureOfExperts({ inputSize: 4, outputSize: 2, gating: 'self', dropout: 0.5, seed: 1 });
    const features = syntheticTensor<tf.Rank.R2>([6, 4], 2);
    const rows = createConstantRows(features);
    expectTensorsClose(
      moe.apply(rows, { training: true, seed: 3 }).output,
      moe.apply(features, { training: true, seed: 3 }).output,
      1e-6,
    );
    expectTensorsClose(
      moe.apply(rows, { training: false }).output,
      moe.apply(features, { training: false }).output,
      1e-6,
    );
  });

  it('rejects rows of the wrong width, naming both shapes', () => {
    const moe = createMixtureOfExperts({ inputSize: 4, outputSize: 2, gating: 'self', seed: 1 });
    expect(() => moe.apply(createConstantRows(tf.zeros([3, 5])), { training: false })).toThrow(
      'Shape mismatch for x.values: expected [N, 4], got [3, 5]',
    );
  });
});
