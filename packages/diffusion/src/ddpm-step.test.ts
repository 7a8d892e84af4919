import { selectBackend } from '@imecd/backend';
import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addNoise } from './add-noise';
import { createNoiseSchedule } from './create-noise-schedule';
import { ddpmStep } from './ddpm-step';
import { noiseScheduleFromBetas } from './noise-schedule-from-betas';
import { syntheticTensor } from './synthetic.test-helper';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});

const schedule = noiseScheduleFromBetas([0.1, 0.2]); // c1_1 = 0.677631, c2_1 = 0.319438, β̃_1 = 0.071429

describe('ddpmStep', () => {
  const predictedTarget = tf.tensor2d([[1, 2]]);
  const noisy = tf.tensor2d([[3, -1]]);
  const noise = tf.tensor2d([[1, 1]]);

  it('adds σ·z to the posterior mean c1·x̂_0 + c2·x_t, hand-computed for both variances', () => {
    // μ = 0.677631 · [1, 2] + 0.319438 · [3, −1] = [1.635946, 1.035824].
    const posterior = ddpmStep(schedule, { predictedTarget, noisy, timestep: 1, noise });
    expectTensorsClose(
      posterior,
      [[1.635946 + Math.sqrt((0.2 * 0.1) / 0.28), 1.035824 + Math.sqrt((0.2 * 0.1) / 0.28)]],
      1e-5,
    );
    const beta = ddpmStep(schedule, { predictedTarget, noisy, timestep: 1, noise, variance: 'beta' });
    expectTensorsClose(beta, [[1.635946 + Math.sqrt(0.2), 1.035824 + Math.sqrt(0.2)]], 1e-5);
  });

  it('returns x̂_0 at t = 0 and needs no noise there', () => {
    expectTensorsClose(ddpmStep(schedule, { predictedTarget, noisy, timestep: 0 }), [[1, 2]], 1e-6);
  });

  it('given the true x_0, turns a draw of q(x_t | x_0) into one of q(x_{t−1} | x_0)', () => {
    // The posterior is exact, so the marginal of x_{t−1} must be N(√ᾱ_{t−1} · x_0, 1 − ᾱ_{t−1}).
    const cosine = createNoiseSchedule({ kind: 'cosine', numSteps: 8 });
    const rows = 20000;
    const target = tf.fill([rows, 1], 1.5) as tf.Tensor2D;
    const noisy = addNoise(cosine, target, syntheticTensor([rows, 1], 11), new Int32Array(rows).fill(5));
    const previous = ddpmStep(cosine, {
      predictedTarget: target,
      noisy,
      timestep: 5,
      noise: syntheticTensor([rows, 1], 12),
    });
    const { mean, variance } = tf.moments(previous);
    expect(mean.dataSync()[0]).toBeCloseTo(1.5 * Math.sqrt(cosine.cumulativeAlphas[4]!), 2);
    expect(variance.dataSync()[0]).toBeCloseTo(1 - cosine.cumulativeAlphas[4]!, 2);
  });

  it('rejects a missing noise at t > 0, steps outside [0, T), mismatched shapes and unknown variances', () => {
    expect(() => ddpmStep(schedule, { predictedTarget, noisy, timestep: 1 })).toThrow(/noise/);
    expect(() => ddpmStep(schedule, { predictedTarget, noisy, timestep: 2, noise })).toThrow(InvalidArgumentError);
    expect(() => ddpmStep(schedule, { predictedTarget, noisy, timestep: -1, noise })).toThrow(/timestep/);
    expect(() =>
      ddpmStep(schedule, { predictedTarget, noisy: tf.zeros([1, 3]) as tf.Tensor2D, timestep: 1, noise }),
    ).toThrow(ShapeMismatchError);
    expect(() =>
      ddpmStep(schedule, { predictedTarget, noisy, timestep: 1, noise: tf.zeros([2, 2]) as tf.Tensor2D }),
    ).toThrow(/noise/);
    expect(() =>
      ddpmStep(schedule, { predictedTarget, noisy, timestep: 1, noise, variance: 'large' as never }),
    ).toThrow(/variance/);
  });

  it('leaks no tensors', async () => {
    await expectNoLeakedTensors(() => ddpmStep(schedule, { predictedTarget, noisy, timestep: 1, noise }));
  });
});
