import { InvalidArgumentError } from '@imecd/core';
import { requireNonNegativeNumber } from '@imecd/nn';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { NoiseSchedule } from './noise-schedule-from-betas';
import { requireMatrix, requireSameShape } from './tensor-checks';
import { requireStep } from './validate';

/** Input of {@link ddimStep}. */
export interface DdimStepInput {
  /** x̂_0 [B, D], the denoiser's estimate of the clean sample. */
  predictedTarget: Tensor2D;
  /** x_t [B, D], the current noisy sample. */
  noisy: Tensor2D;
  /** The current step t ∈ [0, T). */
  timestep: number;
  /** The step s < t to jump to, or −1 for the clean end (ᾱ_{−1} = 1, which returns x̂_0). */
  previousTimestep: number;
  /** η: 0 is the deterministic DDIM, 1 with s = t − 1 is the DDPM posterior step. Default 0. */
  eta?: number;
  /** z [B, D] ~ N(0, I). Required when the step is stochastic (η > 0 and s ≥ 0). */
  noise?: Tensor2D;
}

/**
 * One DDIM step (Song et al. 2021) from x_t to x_s with the x_0 parameterisation:
 * ε̂ = (x_t − √ᾱ_t · x̂_0) / √(1 − ᾱ_t),
 * σ = η · √((1 − ᾱ_s) / (1 − ᾱ_t)) · √(1 − ᾱ_t / ᾱ_s),
 * x_s = √ᾱ_s · x̂_0 + √(1 − ᾱ_s − σ²) · ε̂ + σ · z.
 */
export function ddimStep(schedule: NoiseSchedule, input: DdimStepInput): Tensor2D {
  const { predictedTarget, noisy, timestep, previousTimestep, noise } = input;
  requireMatrix('predictedTarget', predictedTarget);
  requireSameShape('noisy', noisy, predictedTarget, 'predictedTarget');
  requireStep('timestep', timestep, schedule.numSteps);
  requireStep('previousTimestep', previousTimestep, schedule.numSteps, true);
  if (previousTimestep >= timestep)
    throw new InvalidArgumentError('previousTimestep', `must be below timestep ${timestep}, got ${previousTimestep}`);
  const eta = requireNonNegativeNumber('eta', input.eta ?? 0);

  const current = schedule.cumulativeAlphas[timestep] ?? Number.NaN;
  const previous = previousTimestep < 0 ? 1 : (schedule.cumulativeAlphas[previousTimestep] ?? Number.NaN);
  const sigma = eta * Math.sqrt((1 - previous) / (1 - current)) * Math.sqrt(1 - current / previous);
  // η > 1 can ask for more noise than 1 − ᾱ_s leaves room for; the direction term then vanishes.
  const directionScale = Math.sqrt(Math.max(0, 1 - previous - sigma * sigma));
  if (sigma > 0) {
    if (noise === undefined)
      throw new InvalidArgumentError(
        'noise',
        `required when eta > 0 and previousTimestep ≥ 0, got none at step ${timestep}`,
      );
    requireSameShape('noise', noise, predictedTarget, 'predictedTarget');
  }
  return tf.tidy(() => {
    const predictedNoise = tf.div(tf.sub(noisy, tf.mul(predictedTarget, Math.sqrt(current))), Math.sqrt(1 - current));
    const deterministic = tf.add(tf.mul(predictedTarget, Math.sqrt(previous)), tf.mul(predictedNoise, directionScale));
    return (sigma > 0 && noise !== undefined ? tf.add(deterministic, tf.mul(noise, sigma)) : deterministic) as Tensor2D;
  });
}

/**
 * The S steps a DDIM sampler visits, descending from T − 1 to 0 and as evenly spaced as integers
 * allow: round(i · (T − 1) / (S − 1)) for i = S − 1 … 0 (just [T − 1] when S = 1). Starting at
 * T − 1 keeps the first step's noise level equal to that of x_T ~ N(0, I).
 */
export function ddimTimesteps(numSteps: number, samplingSteps: number): number[] {
  if (!Number.isInteger(samplingSteps) || samplingSteps < 1 || samplingSteps > numSteps) {
    throw new InvalidArgumentError('samplingSteps', `expected an integer in [1, ${numSteps}], got ${samplingSteps}`);
  }
  if (samplingSteps === 1) return [numSteps - 1];
  return Array.from({ length: samplingSteps }, (_, index) =>
    Math.round(((samplingSteps - 1 - index) * (numSteps - 1)) / (samplingSteps - 1)),
  );
}
