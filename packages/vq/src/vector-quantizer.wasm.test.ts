import { selectBackend } from '@imecd/backend';
import { expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticTensor } from './synthetic.test-helper';
import { createVectorQuantizer } from './vector-quantizer';
import type { VectorQuantizerOptions } from './vector-quantizer-options';

// The engine is a process-wide singleton: start on cpu and leave cpu selected for what runs next.
beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});
afterAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
  tf.disposeVariables();
});

/** Two training calls and a gradient from a fresh quantizer, read back as plain arrays. */
function run(options: VectorQuantizerOptions) {
  const quantizer = createVectorQuantizer(options);
  const inputs = syntheticTensor([3, 8, options.inputSize], 11);
  const mask = tf.tensor2d([
    [1, 1, 1, 1, 1, 1, 0, 0],
    [1, 1, 1, 1, 1, 1, 1, 1],
    [1, 1, 1, 0, 0, 0, 0, 0],
  ]);
  const weights = syntheticTensor([3, 8, options.inputSize], 12);
  const first = quantizer.apply(inputs, { training: true, mask });
  const second = quantizer.apply(inputs, { training: true, mask });
  const gradients = tf.grads((x: tf.Tensor, ..._codebooks: tf.Tensor[]) => {
    const output = quantizer.apply(x, { mask });
    return tf.add(output.loss, tf.sum(tf.mul(output.quantized, weights)));
  })([inputs, ...quantizer.codebooks]);
  const result = {
    indices: [first.indices.arraySync(), second.indices.arraySync()],
    quantized: second.quantized.arraySync(),
    losses: [first.loss.arraySync(), second.codebookLoss.arraySync(), second.commitmentLoss.arraySync()],
    statistics: [first.statistics, second.statistics],
    codebooks: quantizer.codebooks.map((codebook) => codebook.arraySync()),
    gradients: gradients.map((gradient) => gradient.arraySync()),
  };
  quantizer.dispose();
  return result;
}

/** Runs `options` on cpu and on wasm, compares everything, and returns how many codes restarted (on cpu). */
async function compareBackends(options: VectorQuantizerOptions): Promise<number> {
  const onCpu = run(options);
  await selectBackend({ backend: 'wasm', env: {} });
  expect(tf.getBackend()).toBe('wasm');
  const onWasm = run(options);
  await selectBackend({ backend: 'cpu', env: {} });

  expect(onWasm.indices).toEqual(onCpu.indices);
  expectTensorsClose(tf.tensor(onWasm.quantized), onCpu.quantized, 1e-5);
  expectTensorsClose(tf.tensor(onWasm.losses), onCpu.losses, 1e-4);
  onWasm.statistics.forEach((statistics, call) => {
    const reference = onCpu.statistics[call]!;
    expect(statistics.usage).toBe(reference.usage);
    expect(statistics.restartedCodes).toBe(reference.restartedCodes);
    expect(statistics.perplexity).toBeCloseTo(reference.perplexity, 4);
    expect(statistics.meanError).toBeCloseTo(reference.meanError, 4);
  });
  onWasm.codebooks.forEach((codebook, index) => {
    expectTensorsClose(tf.tensor(codebook), onCpu.codebooks[index]!, 1e-4);
  });
  onWasm.gradients.forEach((gradient, index) => {
    expectTensorsClose(tf.tensor(gradient), onCpu.gradients[index]!, 1e-4);
  });
  return onCpu.statistics.reduce((total, statistics) => total + statistics.restartedCodes, 0);
}

describe('createVectorQuantizer on wasm', () => {
  it('agrees with cpu: residual levels, dead-code restart, gradients', async () => {
    const restarted = await compareBackends({
      inputSize: 4,
      codebookSize: 6,
      levels: 2,
      deadCodeSteps: 1,
      initialization: 'uniform',
      seed: 31,
    });
    expect(restarted).toBeGreaterThan(0);
  });

  it('agrees with cpu: k-means++ init, cosine distance, EMA updates', async () => {
    await compareBackends({
      inputSize: 4,
      codebookSize: 6,
      distance: 'cosine',
      codebookUpdate: 'ema',
      emaDecay: 0.8,
      deadCodeSteps: 1,
      initialization: 'kmeans++',
      seed: 32,
    });
  });
});
