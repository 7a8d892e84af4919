import { selectBackend } from '@imecd/backend';
import { InvalidArgumentError } from '@imecd/core';
import { expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addNoise } from './add-noise';
import { createNoiseSchedule } from './create-noise-schedule';
import { ddimStep, ddimTimesteps } from './ddim-step';
import { ddpmStep } from './ddpm-step';
import { noiseScheduleFromBetas } from './noise-schedule-from-betas';
import { syntheticTensor } from './synthetic.test-helper';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});

const schedule = noiseScheduleFromBetas([0.1, 0.2]); // ᾱ = [0.9, 0.72]

describe('ddimStep', () => {
  const predictedTarget = tf.tensor2d([[1, 2]]);
  const noisy = tf.tensor2d([[3, -1]]);

  it('moves deterministically along the predicted noise when η = 0, hand-computed', () => {
    // ε̂ = ([3, −1] − √0.72 · [1, 2]) / √0.28; x_0 = √0.9 · [1, 2] + √0.1 · ε̂.
    expectTensorsClose(
      ddimStep(schedule, { predictedTarget, noisy, timestep: 1, previousTimestep: 0 }),
      [[2.234433659, 0.285567186]],
      1e-5,
    );
  });

  it('returns x̂_0 when jumping to the clean end', () => {
    expectTensorsClose(
      ddimStep(schedule, { predictedTarget, noisy, timestep: 1, previousTimestep: -1, eta: 1 }),
      [[1, 2]],
      1e-6,
    );
  });

  it('recovers the same noise at a lower level when x̂_0 is exact, skipping steps', () => {
    const cosine = createNoiseSchedule({ kind: 'cosine', numSteps: 10 });
    const target = syntheticTensor<tf.Rank.R2>([4, 3], 1);
    const epsilon = syntheticTensor<tf.Rank.R2>([4, 3], 2);
    const from = addNoise(cosine, target, epsilon, [9, 9, 9, 9]);
    const jumped = ddimStep(cosine, { predictedTarget: target, noisy: from, timestep: 9, previousTimestep: 3 });
    expectTensorsClose(jumped, addNoise(cosine, target, epsilon, [3, 3, 3, 3]), 1e-5);
  });

  it('equals the DDPM posterior step when η = 1 and s = t − 1', () => {
    const noise = tf.tensor2d([[0.5, -2]]);
    const ddim = ddimStep(schedule, { predictedTarget, noisy, timestep: 1, previousTimestep: 0, eta: 1, noise });
    expectTensorsClose(ddim, ddpmStep(schedule, { predictedTarget, noisy, timestep: 1, noise }), 1e-5);
  });

  it('rejects s ≥ t, a missing noise when stochastic, and a negative η', () => {
    expect(() => ddimStep(schedule, { predictedTarget, noisy, timestep: 1, previousTimestep: 1 })).toThrow(
      /previousTimestep/,
    );
    expect(() => ddimStep(schedule, { predictedTarget, noisy, timestep: 1, previousTimestep: -2 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => ddimStep(schedule, { predictedTarget, noisy, timestep: 1, previousTimestep: 0, eta: 0.5 })).toThrow(
      /noise/,
    );
    expect(() => ddimStep(schedule, { predictedTarget, noisy, timestep: 1, previousTimestep: 0, eta: -1 })).toThrow(
      /eta/,
    );
  });

  it('leaks no tensors', async () => {
    await expectNoLeakedTensors(() => ddimStep(schedule, { predictedTarget, noisy, timestep: 1, previousTimestep: 0 }));
  });
});

describe('ddimTimesteps', () => {
  it('spreads S steps evenly from T − 1 down to 0', () => {
    expect(ddimTimesteps(32, 4)).toEqual([31, 21, 10, 0]);
    expect(ddimTimesteps(5, 5)).toEqual([4, 3, 2, 1, 0]);
    expect(ddimTimesteps(10, 1)).toEqual([9]);
    expect(ddimTimesteps(10, 2)).toEqual([9, 0]);
  });

  it('never repeats a step', () => {
    for (let samplingSteps = 1; samplingSteps <= 32; samplingSteps++)
      expect(new Set(ddimTimesteps(32, samplingSteps)).size).toBe(samplingSteps);
  });

  it('rejects S outside [1, T]', () => {
    expect(() => ddimTimesteps(10, 0)).toThrow(/samplingSteps/);
    expect(() => ddimTimesteps(10, 11)).toThrow(InvalidArgumentError);
  });
});
