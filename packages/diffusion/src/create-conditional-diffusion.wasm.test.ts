import { selectBackend } from '@imecd/backend';
import { expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConditionalDenoiser, type DenoiserArchitecture } from './create-conditional-denoiser';
import { createConditionalDiffusion } from './create-conditional-diffusion';
import { syntheticTensor } from './synthetic.test-helper';

// The engine is a process-wide singleton: start on cpu and leave cpu selected for what runs next.
beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});
afterAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
  tf.disposeVariables();
});

describe('createConditionalDiffusion on wasm', () => {
  it.each<DenoiserArchitecture>(['mlp', 'transformer'])(
    'agrees with cpu on the loss, every gradient and both samplers (%s denoiser)',
    async (architecture) => {
      const diffusion = createConditionalDiffusion({
        dataSize: 4,
        conditionSize: 3,
        conditionDropout: 0.3,
        guidanceWeight: 0.5,
        schedule: { kind: 'cosine', numSteps: 10 },
        denoiser: createConditionalDenoiser({
          dataSize: 4,
          conditionSize: 3,
          architecture,
          hiddenSize: 8,
          name: `wasm_${architecture}`,
          seed: 2,
        }),
        name: `wasm_${architecture}_diffusion`,
        seed: 1,
      });
      const target = syntheticTensor<tf.Rank.R2>([6, 4], 3);
      const condition = syntheticTensor<tf.Rank.R2>([6, 3], 4);
      const run = () => {
        const { value, grads } = tf.variableGrads(
          () => diffusion.computeLoss({ target, condition, targetIds: [0, 1, 2, 0, 1, 2], seed: 5 }).loss,
        );
        const ddpm = diffusion.sample(condition, { seed: 6 });
        const ddim = diffusion.sample(condition, { sampler: 'ddim', samplingSteps: 4, eta: 0.5, seed: 6 });
        return {
          loss: value.dataSync()[0]!,
          gradients: Object.fromEntries(Object.entries(grads).map(([name, gradient]) => [name, gradient.arraySync()])),
          samples: [ddpm.arraySync(), ddim.arraySync()],
        };
      };

      const onCpu = run();
      await selectBackend({ backend: 'wasm', env: {} });
      expect(tf.getBackend()).toBe('wasm');
      const onWasm = run();
      await selectBackend({ backend: 'cpu', env: {} });

      expect(onWasm.loss).toBeCloseTo(onCpu.loss, 4);
      expect(Object.keys(onWasm.gradients).sort()).toEqual(diffusion.variables.map((variable) => variable.name).sort());
      for (const [name, gradient] of Object.entries(onWasm.gradients))
        expectTensorsClose(tf.tensor(gradient), onCpu.gradients[name]!, 1e-4);
      onWasm.samples.forEach((sample, index) => {
        expectTensorsClose(tf.tensor(sample), onCpu.samples[index]!, 1e-4);
      });
      diffusion.dispose();
    },
  );
});
