import { selectBackend } from '@imecd/backend';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConditionalDenoiser } from './create-conditional-denoiser';
import { type ConditionalDiffusion, createConditionalDiffusion } from './create-conditional-diffusion';
import type { DiffusionSampleOptions } from './sampling-plan';
import { nearestCentres, oneHotConditions, SYNTHETIC_CENTRES, syntheticMixtureBatch } from './synthetic.test-helper';

// wasm runs these small ops several times faster than cpu; the agreement of the two is tested elsewhere.
beforeAll(async () => {
  await selectBackend({ backend: 'wasm', env: {} });
});
afterAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
  tf.disposeVariables();
});

const SAMPLES_PER_CONDITION = 50;
const clusters = Int32Array.from(
  { length: SAMPLES_PER_CONDITION * SYNTHETIC_CENTRES.length },
  (_, row) => row % SYNTHETIC_CENTRES.length,
);

/** Where the sampler's outputs land: the share nearest their own centre, the mean distance to it, and each condition's mean. */
function measure(diffusion: ConditionalDiffusion, options: DiffusionSampleOptions) {
  const condition = oneHotConditions(clusters);
  const samples = diffusion.sample(condition, options);
  const values = samples.dataSync() as Float32Array;
  tf.dispose([condition, samples]);
  const nearest = nearestCentres(values);
  const means = SYNTHETIC_CENTRES.map(() => [0, 0]);
  let hits = 0;
  let distance = 0;
  clusters.forEach((cluster, row) => {
    const [x, y] = [values[2 * row]!, values[2 * row + 1]!];
    const [cx, cy] = SYNTHETIC_CENTRES[cluster]!;
    if (nearest[row] === cluster) hits++;
    distance += Math.hypot(x - cx, y - cy);
    means[cluster]![0]! += x / SAMPLES_PER_CONDITION;
    means[cluster]![1]! += y / SAMPLES_PER_CONDITION;
  });
  return { accuracy: hits / clusters.length, meanDistance: distance / clusters.length, means };
}

describe('createConditionalDiffusion on a 2-D conditional mixture', () => {
  it('generates samples on the cluster the condition picks, with DDPM and with 8-step DDIM', () => {
    // Four clusters of spread 0.1 at (±1.5, ±1.5); the condition is the one-hot cluster id.
    const diffusion = createConditionalDiffusion({
      dataSize: 2,
      conditionSize: SYNTHETIC_CENTRES.length,
      conditionDropout: 0.1,
      denoiser: createConditionalDenoiser({
        dataSize: 2,
        conditionSize: SYNTHETIC_CENTRES.length,
        hiddenSize: 32,
        name: 'mixture/denoiser',
        seed: 13,
      }),
      name: 'mixture',
      seed: 3,
    });
    const untrained = measure(diffusion, { seed: 5 });

    const optimizer = tf.train.adam(0.01);
    for (let step = 0; step < 300; step++) {
      const batch = syntheticMixtureBatch(64, 3000 + step);
      optimizer.minimize(
        () =>
          diffusion.computeLoss({ target: batch.target, condition: batch.condition, targetIds: batch.clusters }).loss,
      );
      tf.dispose([batch.target, batch.condition]);
    }
    optimizer.dispose();

    const ddpm = measure(diffusion, { seed: 5 });
    const ddim = measure(diffusion, { sampler: 'ddim', samplingSteps: 8, seed: 5 });
    // Measured (wasm, seed 3): untrained accuracy 0.25 and mean distance 2.1; trained DDPM and DDIM accuracy 1 and
    // mean distance 0.16, against 0.125 for the data itself.
    expect(untrained.accuracy).toBeLessThan(0.6);
    expect(untrained.meanDistance).toBeGreaterThan(1);
    expect(ddpm.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(ddpm.meanDistance).toBeLessThan(0.5);
    expect(ddim.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(ddim.meanDistance).toBeLessThan(0.5);
    // DDIM with 8 of the 32 steps lands where DDPM does, condition by condition.
    ddim.means.forEach((mean, cluster) => {
      expect(Math.hypot(mean[0]! - ddpm.means[cluster]![0]!, mean[1]! - ddpm.means[cluster]![1]!)).toBeLessThan(0.25);
    });
    expect(Math.abs(ddim.meanDistance - ddpm.meanDistance)).toBeLessThan(0.1);
    console.info(
      'mixture',
      JSON.stringify({ untrained, ddpm, ddim }, (_, value: unknown) =>
        typeof value === 'number' ? Number(value.toFixed(3)) : value,
      ),
    );
  }, 60_000); // about 3 s alone on one core; more on a shared machine
});
