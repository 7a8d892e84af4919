import { createRng } from '@imecd/core';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGate, type GateOptions } from './gate';
import { syntheticTensor, useCpuBackend, values } from './synthetic.test-helper';

beforeAll(useCpuBackend);
afterEach(() => {
  tf.disposeVariables();
});

const baseOptions: GateOptions = {
  sourceSize: 2,
  numExperts: 3,
  temperature: 2,
  noisy: false,
  topK: 3,
  name: 'gate',
  seed: 1,
  initializer: 'zeros',
};

/** A gate whose logits for the source [1, 1] are [1, 2, 0.5]. */
function handSetGate(options: Partial<GateOptions> = {}) {
  const gate = createGate({ ...baseOptions, ...options });
  gate.variables[0]!.assign(
    tf.tensor2d([
      [1, 0, -1],
      [0, 2, 1],
    ]),
  ); // kernel
  gate.variables[1]!.assign(tf.tensor1d([0, 0, 0.5])); // bias
  return gate;
}

function softmax(logits: number[]): number[] {
  const exps = logits.map(Math.exp);
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

describe('createGate', () => {
  const source = tf.tensor2d([[1, 1]]);

  it('is softmax(h / τ), hand-computed', () => {
    // h = [1, 2, 0.5], τ = 2: softmax([0.5, 1, 0.25]).
    expectTensorsClose(handSetGate().apply(source, { training: false, seed: 0 }), [[0.291756, 0.4810243, 0.2272198]]);
  });

  it('keeps the top-k logits and gives the other experts weight exactly 0', () => {
    const weights = handSetGate({ topK: 2 }).apply(source, { training: true, seed: 0 });
    // softmax([0.5, 1]) over the two kept experts.
    expectTensorsClose(weights, [[0.3775407, 0.6224593, 0]]);
    expect(weights.dataSync()[2]).toBe(0);
  });

  it('adds ε ⊙ (softplus(s·W_n) + 0.01) while training a noisy gate, drawn from the seed', () => {
    const gate = handSetGate({ noisy: true }); // W_n starts at 0, so the noise scale is ln 2 + 0.01
    const rng = createRng(7);
    const noisyLogits = [1, 2, 0.5].map((logit) => logit + rng.normal() * (Math.LN2 + 0.01));
    const expected = softmax(noisyLogits.map((logit) => logit / 2));
    expectTensorsClose(gate.apply(source, { training: true, seed: 7 }), [expected], 1e-5);
    const again = values(gate.apply(source, { training: true, seed: 7 }));
    expect(values(gate.apply(source, { training: true, seed: 7 }))).toEqual(again);
    expect(values(gate.apply(source, { training: true, seed: 8 }))).not.toEqual(again);
    // No noise at inference.
    expectTensorsClose(gate.apply(source, { training: false, seed: 7 }), [[0.291756, 0.4810243, 0.2272198]]);
  });

  it('names its variables under its scope, the noise kernel beside the gate', () => {
    expect(createGate({ ...baseOptions, name: 'moe/gate' }).variables.map((variable) => variable.name)).toEqual([
      'moe/gate/kernel',
      'moe/gate/bias',
    ]);
    expect(
      createGate({ ...baseOptions, noisy: true, name: 'other/gate' }).variables.map((variable) => variable.name),
    ).toEqual(['other/gate/kernel', 'other/gate/bias', 'other/gate_noise/kernel']);
  });

  it('matches finite differences for source, kernels and bias, with noise and top-k on', () => {
    const gate = createGate({
      ...baseOptions,
      sourceSize: 3,
      numExperts: 4,
      noisy: true,
      topK: 2,
      initializer: 'normal(1)',
      seed: 3,
    });
    const sources = syntheticTensor<tf.Rank.R2>([3, 3], 4);
    const weights = syntheticTensor([3, 4], 5);
    expectGradientsClose(
      (s) => tf.mul(gate.apply(s as tf.Tensor2D, { training: true, seed: 6 }), weights),
      [sources, ...gate.variables],
    );
  });

  it('leaks no tensors, forward and backward', async () => {
    const gate = createGate({ ...baseOptions, noisy: true, topK: 2, initializer: 'normal(1)' });
    const sources = syntheticTensor<tf.Rank.R2>([4, 2], 2);
    await expectNoLeakedTensors(() =>
      tf.variableGrads(() => tf.sum(tf.square(gate.apply(sources, { training: true, seed: 1 })))),
    );
  });
});
