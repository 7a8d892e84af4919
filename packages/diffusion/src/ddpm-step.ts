import { InvalidArgumentError } from '@imecd/core';
import { requireOneOf } from '@imecd/nn';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { NoiseSchedule } from './noise-schedule-from-betas';
import { requireMatrix, requireSameShape } from './tensor-checks';
import { requireStep } from './validate';

/**
 * The variance of an ancestral step: `'posterior'` is β̃_t, the true posterior variance given
 * x_0 (DDPM's σ² = β̃, DreamRec); `'beta'` is β_t (DDPM's σ² = β, DiffuRec's fixed variance).
 */
export type ReverseVariance = 'posterior' | 'beta';

export const REVERSE_VARIANCES: readonly ReverseVariance[] = Object.freeze(['posterior', 'beta']);

/** Input of {@link ddpmStep}. */
export interface DdpmStepInput {
  /** x̂_0 [B, D], the denoiser's estimate of the clean sample. */
  predictedTarget: Tensor2D;
  /** x_t [B, D], the current noisy sample. */
  noisy: Tensor2D;
  /** The current step t ∈ [0, T), shared by every row. */
  timestep: number;
  /** z [B, D] ~ N(0, I). Required for t > 0; ignored at t = 0, which adds no noise. */
  noise?: Tensor2D;
  /** Which variance the step adds. Default `'posterior'`. */
  variance?: ReverseVariance;
}

/**
 * One ancestral (DDPM) step with the x_0 parameterisation: the posterior mean
 * μ_t = c1_t · x̂_0 + c2_t · x_t plus σ_t · z, giving x_{t−1}. At t = 0 it returns μ_0 = x̂_0.
 */
export function ddpmStep(schedule: NoiseSchedule, input: DdpmStepInput): Tensor2D {
  const { predictedTarget, noisy, timestep, noise } = input;
  requireMatrix('predictedTarget', predictedTarget);
  requireSameShape('noisy', noisy, predictedTarget, 'predictedTarget');
  requireStep('timestep', timestep, schedule.numSteps);
  const variance = requireOneOf('variance', input.variance ?? 'posterior', REVERSE_VARIANCES);
  const targetCoefficient = schedule.posteriorTargetCoefficients[timestep] ?? Number.NaN;
  const noisyCoefficient = schedule.posteriorNoisyCoefficients[timestep] ?? Number.NaN;
  return tf.tidy(() => {
    const mean = tf.add(tf.mul(predictedTarget, targetCoefficient), tf.mul(noisy, noisyCoefficient));
    if (timestep === 0) return mean as Tensor2D;
    if (noise === undefined)
      throw new InvalidArgumentError('noise', `required when timestep > 0, got none at step ${timestep}`);
    requireSameShape('noise', noise, predictedTarget, 'predictedTarget');
    const standardDeviation = Math.sqrt(
      variance === 'posterior'
        ? (schedule.posteriorVariances[timestep] ?? Number.NaN)
        : (schedule.betas[timestep] ?? Number.NaN),
    );
    return tf.add(mean, tf.mul(noise, standardDeviation)) as Tensor2D;
  });
}
