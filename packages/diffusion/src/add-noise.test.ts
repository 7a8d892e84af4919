import { selectBackend } from '@imecd/backend';
import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addNoise } from './add-noise';
import { noiseScheduleFromBetas } from './noise-schedule-from-betas';
import { syntheticTensor } from './synthetic.test-helper';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});

const schedule = noiseScheduleFromBetas([0.1, 0.2]); // ᾱ = [0.9, 0.72]

describe('addNoise', () => {
  it('computes √ᾱ_t · x_0 + √(1 − ᾱ_t) · ε per row, hand-computed', () => {
    const noisy = addNoise(
      schedule,
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      [0, 1],
    );
    // Row 0: √0.9 · [1, 2] + √0.1 · [1, 0]; row 1: √0.72 · [3, 4] + √0.28 · [0, 1].
    expectTensorsClose(
      noisy,
      [
        [1.264911064, 1.897366596],
        [2.545584412, 3.923262812],
      ],
      1e-6,
    );
  });

  it('matches finite differences in the target and the noise', () => {
    const target = syntheticTensor<tf.Rank.R2>([3, 2], 1);
    const noise = syntheticTensor<tf.Rank.R2>([3, 2], 2);
    const weights = syntheticTensor([3, 2], 3);
    expectGradientsClose(
      (x, e) => tf.mul(addNoise(schedule, x as tf.Tensor2D, e as tf.Tensor2D, [1, 0, 1]), weights),
      [target, noise],
    );
  });

  it('rejects mismatched noise, a wrong number of timesteps and steps outside [0, T)', () => {
    const target = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => addNoise(schedule, target, tf.zeros([2, 2]) as tf.Tensor2D, [0, 0])).toThrow(ShapeMismatchError);
    expect(() => addNoise(schedule, target, tf.zeros([2, 2]) as tf.Tensor2D, [0, 0])).toThrow(
      /noise.*\[2, 3\].*\[2, 2\]/,
    );
    expect(() => addNoise(schedule, target, target, [0])).toThrow(/timesteps/);
    expect(() => addNoise(schedule, target, target, [0, 2])).toThrow(InvalidArgumentError);
    expect(() => addNoise(schedule, target, target, [0, 0.5])).toThrow(/entry 1/);
    expect(() => addNoise(schedule, tf.zeros([2]) as unknown as tf.Tensor2D, target, [0, 0])).toThrow(/target/);
  });

  it('leaks no tensors, forward and backward', async () => {
    const target = tf.ones([2, 2]) as tf.Tensor2D;
    const noise = tf.ones([2, 2]) as tf.Tensor2D;
    await expectNoLeakedTensors(() => addNoise(schedule, target, noise, [0, 1]));
    await expectNoLeakedTensors(() =>
      tf.grads((x: tf.Tensor) => tf.sum(addNoise(schedule, x as tf.Tensor2D, noise, [1, 1])))([target]),
    );
  });
});
