import { selectBackend } from '@imecd/backend';
import { createDense } from '@imecd/nn';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSequenceDiffusion } from './create-sequence-diffusion';
import { syntheticTensor } from './synthetic.test-helper';

// The engine is a process-wide singleton: start on cpu and leave cpu selected for what runs next.
beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});
afterAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
  tf.disposeVariables();
});

describe('createSequenceDiffusion on wasm', () => {
  it('samples with τ(t) computed once for the batch, to the bit what embed gives with one step per row', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    try {
      const diffusion = createSequenceDiffusion({ dataSize: 192, noiseScale: 0.001, seed: 8, name: 'sequence_wasm' });
      const layer = createDense({ inputSize: 192, outputSize: 192, seed: 9, name: 'approximator_wasm' });
      const approximate = (input: tf.Tensor2D) => layer.apply(input) as tf.Tensor2D;
      const noise = syntheticTensor<tf.Rank.R2>([37, 192], 10);
      const lastStep = diffusion.schedule.numSteps - 1;
      const sampled = diffusion.sample(approximate, noise, { samplingSteps: 1 }).dataSync();
      const perRow = approximate(diffusion.embed(noise, new Array(37).fill(lastStep))).dataSync();
      expect(Array.from(sampled)).toEqual(Array.from(perRow));
      layer.dispose();
      diffusion.dispose();
    } finally {
      await selectBackend({ backend: 'cpu', env: {} });
    }
  });
});
