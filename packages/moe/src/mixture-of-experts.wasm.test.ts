import { selectBackend } from '@imecd/backend';
import { expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hotMatMul, hotRowsFromCodes } from './hot-rows';
import { createMixtureOfExperts } from './mixture-of-experts';
import { syntheticTensor, useCpuBackend } from './synthetic.test-helper';
import { topKMask } from './top-k-mask';

// The engine is a process-wide singleton: start on cpu and leave cpu selected for whatever runs next.
beforeAll(useCpuBackend);
afterAll(async () => {
  await useCpuBackend();
  tf.disposeVariables();
});

/** Runs `compute` on cpu, then on wasm, and returns both results as plain arrays. */
async function onBothBackends<T>(compute: () => T): Promise<{ cpu: T; wasm: T }> {
  await useCpuBackend();
  const cpu = compute();
  await selectBackend({ backend: 'wasm', env: {} });
  expect(tf.getBackend()).toBe('wasm');
  try {
    return { cpu, wasm: compute() };
  } finally {
    await useCpuBackend();
  }
}

describe('createMixtureOfExperts on wasm', () => {
  it('agrees with cpu on outputs, gate weights, load-balancing loss and every gradient', async () => {
    const moe = createMixtureOfExperts({
      inputSize: 5,
      outputSize: 3,
      guideSize: 4,
      numExperts: 4,
      topK: 2,
      noisyGating: true,
      dropout: 0.2,
      expert: 'mlp',
      expertHiddenSize: 6,
      temperature: 0.8,
      gateInitializer: 'normal(0.5)',
      seed: 31,
    });
    const x = syntheticTensor([2, 3, 5], 32);
    const guide = syntheticTensor([2, 3, 4], 33);
    const mask = tf.tensor2d([
      [0, 1, 1],
      [1, 1, 1],
    ]);
    const weights = syntheticTensor([2, 3, 3], 34);
    const { cpu, wasm } = await onBothBackends(() => {
      const result = moe.apply(x, { guide, mask, training: true, seed: 35 });
      const gradients = tf.grads((input: tf.Tensor, guideInput: tf.Tensor, ..._variables: tf.Tensor[]) => {
        const { output, loadBalancingLoss } = moe.apply(input, { guide: guideInput, mask, training: true, seed: 35 });
        return tf.add(tf.sum(tf.mul(output, weights)), loadBalancingLoss);
      })([x, guide, ...moe.variables]);
      return {
        output: result.output.arraySync(),
        gateWeights: result.gateWeights.arraySync(),
        loss: result.loadBalancingLoss.arraySync(),
        gradients: gradients.map((gradient) => gradient.arraySync()),
      };
    });
    expectTensorsClose(tf.tensor(wasm.output), cpu.output, 1e-4);
    expectTensorsClose(tf.tensor(wasm.gateWeights), cpu.gateWeights, 1e-4);
    expect(wasm.loss).toBeCloseTo(cpu.loss, 4);
    expect(wasm.gradients).toHaveLength(moe.variables.length + 2);
    wasm.gradients.forEach((gradient, index) => {
      expectTensorsClose(tf.tensor(gradient), cpu.gradients[index]!, 1e-4);
    });
  });

  it('selects the same top-k entries, ties included', async () => {
    const scores = [
      [2, 2, 2, 1],
      [0.5, -1, 3, 0.5],
    ];
    const { cpu, wasm } = await onBothBackends(() => topKMask(tf.tensor2d(scores), 2).arraySync());
    expect(wasm).toEqual(cpu);
  });
});

describe('hotMatMul on wasm', () => {
  it('equals gathering every column at once and summing the levels, values and ∂kernel to the bit', async () => {
    const levels = 4;
    const codes = Array.from({ length: 300 * levels }, (_, flat) => (flat * 37 + (flat % 7) * 11) % 16);
    const hot = hotRowsFromCodes(codes, levels, 16);
    const kernel = syntheticTensor<tf.Rank.R2>([levels * 16, 24], 41);
    const dy = syntheticTensor<tf.Rank.R2>([300, 24], 42);
    const gatherAll = (k: tf.Tensor2D) =>
      tf.sum(tf.reshape(tf.gather(k, tf.reshape(hot.hotColumns, [-1])), [300, levels, 24]), 1);
    const valueAndGradient = (product: (k: tf.Tensor2D) => tf.Tensor) => ({
      value: Array.from(product(kernel).dataSync()),
      gradient: Array.from(
        tf
          .grad((k) => tf.sum(tf.mul(product(k as tf.Tensor2D), dy)))(kernel)
          .dataSync(),
      ),
    });
    const { wasm } = await onBothBackends(() => ({
      hot: valueAndGradient((k) => hotMatMul(hot, k)),
      gatherAll: valueAndGradient(gatherAll),
    }));
    expect(wasm.hot).toEqual(wasm.gatherAll);
  });
});
