import { selectBackend } from '@imecd/backend';
import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { createDense } from '@imecd/nn';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addNoise } from './add-noise';
import { createSequenceDiffusion } from './create-sequence-diffusion';
import { ddimStep } from './ddim-step';
import { syntheticMixtureBatch, syntheticTensor } from './synthetic.test-helper';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});

describe('createSequenceDiffusion', () => {
  it('embeds λ·(x_t + τ(t)) with τ of x_t’s width, and lists τ’s variables', () => {
    const diffusion = createSequenceDiffusion({ dataSize: 3, noiseScale: 0.5, seed: 1, name: 'gen' });
    expect(diffusion.variables.map((variable) => variable.name)).toEqual([
      'gen/time/inner/kernel',
      'gen/time/inner/bias',
      'gen/time/outer/kernel',
      'gen/time/outer/bias',
    ]);
    const noisy = syntheticTensor<tf.Rank.R2>([2, 3], 2);
    const embedded = diffusion.embed(noisy, [0, 31]);
    expect(embedded.shape).toEqual([2, 3]);
    // Two rows at the same step differ by λ·(difference of x_t): τ cancels.
    const same = diffusion.embed(noisy, [5, 5]);
    const [first, second] = tf.split(same, 2);
    const [noisyFirst, noisySecond] = tf.split(noisy, 2);
    expectTensorsClose(tf.sub(first!, second!), tf.mul(tf.sub(noisyFirst!, noisySecond!), 0.5), 1e-6);
    // τ depends on t.
    expect(tf.max(tf.abs(tf.sub(embedded, same))).dataSync()[0]).toBeGreaterThan(1e-4);
    diffusion.dispose();
  });

  it('draws the training input from its seed: the same seed the same steps and values, steps in [0, T)', () => {
    const diffusion = createSequenceDiffusion({ dataSize: 2, schedule: { numSteps: 8 }, seed: 3 });
    const target = syntheticTensor<tf.Rank.R2>([50, 2], 4);
    const first = diffusion.noisyInput(target, { seed: 9 });
    const again = diffusion.noisyInput(target, { seed: 9 });
    const other = diffusion.noisyInput(target, { seed: 10 });
    expect(Array.from(first.timesteps)).toEqual(Array.from(again.timesteps));
    expectTensorsClose(first.input, again.input, 0);
    expect(Array.from(first.timesteps).every((step) => step >= 0 && step < 8)).toBe(true);
    expect(new Set(first.timesteps).size).toBeGreaterThan(4);
    expect(Array.from(other.timesteps)).not.toEqual(Array.from(first.timesteps));
    diffusion.dispose();
  });

  it('samples by DDIM through the approximator: one step is approximate(embed(x_T, T − 1)), more steps follow ddimStep', () => {
    const diffusion = createSequenceDiffusion({ dataSize: 2, schedule: { numSteps: 8 }, noiseScale: 1, seed: 5 });
    const layer = createDense({ inputSize: 2, outputSize: 2, seed: 6 });
    const calls: number[] = [];
    const approximate = (input: tf.Tensor2D, step: number) => {
      calls.push(step);
      return layer.apply(input) as tf.Tensor2D;
    };
    const noise = syntheticTensor<tf.Rank.R2>([3, 2], 7);
    expectTensorsClose(
      diffusion.sample(approximate, noise, { samplingSteps: 1 }),
      layer.apply(diffusion.embed(noise, [7, 7, 7])),
      1e-6,
    );
    expect(calls).toEqual([7]);

    calls.length = 0;
    const sampled = diffusion.sample(approximate, noise, { samplingSteps: 2 });
    expect(calls).toEqual([7, 0]);
    const firstEstimate = layer.apply(diffusion.embed(noise, [7, 7, 7])) as tf.Tensor2D;
    const atZero = ddimStep(diffusion.schedule, {
      predictedTarget: firstEstimate,
      noisy: noise,
      timestep: 7,
      previousTimestep: 0,
    });
    expectTensorsClose(sampled, layer.apply(diffusion.embed(atZero, [0, 0, 0])), 1e-5);
    layer.dispose();
    diffusion.dispose();
  });

  it('is differentiable in x_t and in τ’s weights (finite differences)', () => {
    const diffusion = createSequenceDiffusion({ dataSize: 3, schedule: { numSteps: 4 }, noiseScale: 0.3, seed: 8 });
    const noisy = syntheticTensor<tf.Rank.R2>([2, 3], 9);
    const kernel = diffusion.variables[0]!;
    expectGradientsClose((x) => tf.sum(tf.square(diffusion.embed(x as tf.Tensor2D, [1, 3]))), [noisy]);
    // τ's first kernel is read through the closure; the check perturbs the variable in place.
    expectGradientsClose(() => tf.sum(tf.square(diffusion.embed(noisy, [1, 3]))), [kernel]);
    diffusion.dispose();
  });

  it('learns a conditional mixture with a caller-owned approximator: samples land on their own cluster', () => {
    // The approximator is the caller's network: a dense layer over [condition, λ·(x_t + τ(t))].
    const diffusion = createSequenceDiffusion({ dataSize: 2, schedule: { numSteps: 8 }, noiseScale: 1, seed: 11 });
    const network = createDense({ inputSize: 6, outputSize: 2, seed: 12 });
    const approximatorOf = (condition: tf.Tensor2D) => (input: tf.Tensor2D) =>
      network.apply(tf.concat([condition, input], 1)) as tf.Tensor2D;
    const optimizer = tf.train.adam(0.05);
    for (let step = 0; step < 150; step++) {
      const { condition, target } = syntheticMixtureBatch(64, 100 + step);
      optimizer.minimize(
        () => {
          const { input } = diffusion.noisyInput(target, { seed: step });
          return tf.losses.meanSquaredError(target, approximatorOf(condition)(input)) as tf.Scalar;
        },
        false,
        [...network.variables, ...diffusion.variables],
      );
      tf.dispose([condition, target]);
    }
    const { clusters, condition, target } = syntheticMixtureBatch(32, 999);
    const sampled = diffusion.sample(approximatorOf(condition), syntheticTensor([32, 2], 13), { samplingSteps: 4 });
    const error = tf.mean(tf.sqrt(tf.sum(tf.square(tf.sub(sampled, target)), 1))).dataSync()[0]!;
    expect(clusters.length).toBe(32);
    expect(error).toBeLessThan(0.5); // the centres are 3 apart
    diffusion.dispose();
    network.dispose();
  });

  it('rejects bad options, shapes and steps', () => {
    expect(() => createSequenceDiffusion({ dataSize: 0 })).toThrow(InvalidArgumentError);
    expect(() => createSequenceDiffusion({ dataSize: 2, noiseScale: -1 })).toThrow(/noiseScale/);
    const diffusion = createSequenceDiffusion({ dataSize: 2, schedule: { numSteps: 4 }, seed: 1 });
    expect(() => diffusion.embed(tf.zeros([2, 3]) as tf.Tensor2D, [0, 0])).toThrow(ShapeMismatchError);
    expect(() => diffusion.embed(tf.zeros([2, 2]) as tf.Tensor2D, [0, 4])).toThrow(/timesteps/);
    expect(() => diffusion.sample((input) => input, tf.zeros([2, 2]), { samplingSteps: 5 })).toThrow(/samplingSteps/);
    expect(() =>
      diffusion.sample(() => tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 2]), { samplingSteps: 2 }),
    ).toThrow(/approximator output/);
    diffusion.dispose();
  });

  it('leaks no tensors in training inputs and sampling', async () => {
    const diffusion = createSequenceDiffusion({ dataSize: 2, schedule: { numSteps: 8 }, seed: 1 });
    const target = syntheticTensor<tf.Rank.R2>([4, 2], 2);
    await expectNoLeakedTensors(() => {
      const { input } = diffusion.noisyInput(target, { seed: 1 });
      return [
        input,
        diffusion.sample((x) => tf.mul(x, 2) as tf.Tensor2D, target, { samplingSteps: 3 }),
        addNoise(diffusion.schedule, target, target, [0, 1, 2, 3]),
      ];
    });
    diffusion.dispose();
  });
});
