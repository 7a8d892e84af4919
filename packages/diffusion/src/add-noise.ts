import type { Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { NoiseSchedule } from './noise-schedule-from-betas';
import { requireMatrix, requireSameShape, requireTimesteps } from './tensor-checks';

/**
 * Draws from the forward process q(x_t | x_0) = N(√ᾱ_t · x_0, (1 − ᾱ_t) · I) with the given
 * noise: `x_t = √ᾱ_t · x_0 + √(1 − ᾱ_t) · ε`. `target` x_0 and `noise` ε are [B, D];
 * `timesteps` holds one step in [0, T) per row. Differentiable in `target` and `noise`.
 */
export function addNoise(
  schedule: NoiseSchedule,
  target: Tensor2D,
  noise: Tensor2D,
  timesteps: ArrayLike<number>,
): Tensor2D {
  requireMatrix('target', target);
  requireSameShape('noise', noise, target, 'target');
  const steps = requireTimesteps('timesteps', timesteps, target.shape[0], schedule.numSteps);
  const signalScale = rowColumn(steps, (step) => Math.sqrt(schedule.cumulativeAlphas[step] ?? Number.NaN));
  const noiseScale = rowColumn(steps, (step) => Math.sqrt(1 - (schedule.cumulativeAlphas[step] ?? Number.NaN)));
  return tf.tidy(() =>
    tf.add(
      tf.mul(target, tf.tensor2d(signalScale, [steps.length, 1])),
      tf.mul(noise, tf.tensor2d(noiseScale, [steps.length, 1])),
    ),
  );
}

/** One coefficient per row, as the values of a [B, 1] column that broadcasts over D. */
function rowColumn(steps: Int32Array, coefficient: (step: number) => number): Float32Array {
  return Float32Array.from(steps, coefficient);
}
