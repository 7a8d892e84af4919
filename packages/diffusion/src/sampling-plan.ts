import { InvalidArgumentError } from '@imecd/core';
import { requireNonNegativeNumber, requireOneOf } from '@imecd/nn';
import type { Tensor } from '@tensorflow/tfjs-core';
import { ddimTimesteps } from './ddim-step';
import type { NoiseSchedule } from './noise-schedule-from-betas';

/** The reverse-process samplers. */
export type DiffusionSampler = 'ddpm' | 'ddim';

export const DIFFUSION_SAMPLERS: readonly DiffusionSampler[] = Object.freeze(['ddpm', 'ddim']);

/** Options of `ConditionalDiffusion.sample`. */
export interface DiffusionSampleOptions {
  /** `'ddpm'`: all T ancestral steps. `'ddim'`: `samplingSteps` DDIM steps. Default `'ddpm'`. */
  sampler?: DiffusionSampler;
  /** `'ddim'` only: number of steps S ∈ [1, T] (see `ddimTimesteps`). Default T. */
  samplingSteps?: number;
  /** `'ddim'` only: η, 0 for deterministic sampling. Default 0. */
  eta?: number;
  /** Guidance weight w. Default the model's `guidanceWeight`. */
  guidanceWeight?: number;
  /** Seed of x_T and of every step's noise. Default: the model's own generator, which moves on each call. */
  seed?: number;
  /** x_T [B, D] to start from instead of N(0, I) draws; not disposed. */
  initialNoise?: Tensor;
}

/** A sampler choice after validation. */
export interface SamplingPlan {
  sampler: DiffusionSampler;
  /** The steps visited, descending to 0. */
  steps: number[];
  /** η of the DDIM steps; 0 for DDPM, whose noise the schedule fixes. */
  eta: number;
}

/** Validates the sampler options once, before any step runs. */
export function samplingPlan(schedule: NoiseSchedule, options: DiffusionSampleOptions): SamplingPlan {
  const sampler = requireOneOf('sampler', options.sampler ?? 'ddpm', DIFFUSION_SAMPLERS);
  if (sampler === 'ddpm') {
    for (const argument of ['samplingSteps', 'eta'] as const) {
      if (options[argument] !== undefined) throw new InvalidArgumentError(argument, "only the 'ddim' sampler takes it");
    }
    return {
      sampler,
      steps: Array.from({ length: schedule.numSteps }, (_, index) => schedule.numSteps - 1 - index),
      eta: 0,
    };
  }
  const steps = ddimTimesteps(schedule.numSteps, options.samplingSteps ?? schedule.numSteps);
  return { sampler, steps, eta: requireNonNegativeNumber('eta', options.eta ?? 0) };
}
