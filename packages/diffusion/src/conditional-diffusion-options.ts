import { InvalidArgumentError } from '@imecd/core';
import {
  requireNonNegativeNumber,
  requireOneOf,
  requirePositiveInteger,
  requirePositiveNumber,
  requireRate,
  requireScopeName,
} from '@imecd/nn';
import { CONTRASTIVE_SIMILARITIES, type ContrastiveSimilarity } from './contrastive-loss';
import { createNoiseSchedule, type NoiseScheduleOptions } from './create-noise-schedule';
import { REVERSE_VARIANCES, type ReverseVariance } from './ddpm-step';
import type { DenoiserFunction, DenoiserModule } from './denoiser';
import { type NoiseSchedule, noiseScheduleFromBetas } from './noise-schedule-from-betas';
import { resolveSeedOption } from './validate';

/** Options of {@link createConditionalDiffusion}. */
export interface ConditionalDiffusionOptions {
  /** Size D of the samples (x_0, x_t, x̂_0). Required. */
  dataSize: number;
  /** Size C of the condition vector c. Default `dataSize`. */
  conditionSize?: number;
  /** Named schedule options, or a schedule built with `noiseScheduleFromBetas`. Default `{ kind: 'truncated-linear', numSteps: 32 }` (DiffuRec). */
  schedule?: NoiseScheduleOptions | NoiseSchedule;
  /**
   * The x̂_0 predictor. A module (with `variables` and `dispose`) is owned by the diffusion: its
   * variables are listed in `variables` and disposed with it. A plain function is the caller's,
   * with its weights. Default: `createConditionalDenoiser({ dataSize, conditionSize })` (MLP)
   * named `<name>/denoiser`.
   */
  denoiser?: DenoiserModule | DenoiserFunction;
  /** Weight of the reconstruction (MSE) term. Default 1. */
  reconstructionWeight?: number;
  /** Weight λ of the contrastive (InfoNCE) term; 0 trains a plain x_0-prediction diffusion. Default 0.1 (CaDiRec's contrastive weight). */
  contrastiveWeight?: number;
  /** InfoNCE temperature τ. Default 0.1. */
  temperature?: number;
  /** InfoNCE similarity. Default `'cosine'`. */
  similarity?: ContrastiveSimilarity;
  /**
   * Classifier-free guidance training: the probability that a row's condition is replaced by a
   * learned null vector (DreamRec uses 0.1). 0 creates no null vector, and guidance is then
   * unavailable. Default 0.
   */
  conditionDropout?: number;
  /** Guidance weight w used by `sample` and `predictTarget` unless they are given one; needs `conditionDropout` > 0 when not 0. Default 0. */
  guidanceWeight?: number;
  /** Variance of the DDPM sampler's steps. Default `'posterior'`. */
  variance?: ReverseVariance;
  /** Scope of the variable names: `<name>/null_condition`, `<name>/denoiser/…`. Default `'diffusion'`. */
  name?: string;
  /** Seed of the default denoiser, the null vector, and of every timestep, noise and mask drawn later. Default: a random seed. */
  seed?: number;
}

/** The options after defaults: numbers and names only (the schedule and denoiser are on the model). */
export type ResolvedConditionalDiffusionOptions = Readonly<
  Required<Omit<ConditionalDiffusionOptions, 'schedule' | 'denoiser'>>
>;

export function resolveConditionalDiffusionOptions(options: ConditionalDiffusionOptions): {
  config: ResolvedConditionalDiffusionOptions;
  schedule: NoiseSchedule;
} {
  const dataSize = requirePositiveInteger('dataSize', options.dataSize);
  const conditionDropout = requireRate('conditionDropout', options.conditionDropout ?? 0);
  const guidanceWeight = requireGuidanceWeight(options.guidanceWeight ?? 0, conditionDropout);
  const config = {
    dataSize,
    conditionSize: requirePositiveInteger('conditionSize', options.conditionSize ?? dataSize),
    reconstructionWeight: requireNonNegativeNumber('reconstructionWeight', options.reconstructionWeight ?? 1),
    contrastiveWeight: requireNonNegativeNumber('contrastiveWeight', options.contrastiveWeight ?? 0.1),
    temperature: requirePositiveNumber('temperature', options.temperature ?? 0.1),
    similarity: requireOneOf('similarity', options.similarity ?? 'cosine', CONTRASTIVE_SIMILARITIES),
    conditionDropout,
    guidanceWeight,
    variance: requireOneOf('variance', options.variance ?? 'posterior', REVERSE_VARIANCES),
    name: requireScopeName('name', options.name ?? 'diffusion'),
    seed: resolveSeedOption(options.seed),
  };
  if (config.reconstructionWeight === 0 && config.contrastiveWeight === 0) {
    throw new InvalidArgumentError(
      'contrastiveWeight',
      'reconstructionWeight and contrastiveWeight are both 0, so nothing would be trained',
    );
  }
  const given = options.schedule ?? {};
  // A given schedule is rebuilt from its betas, so a hand-made object cannot carry inconsistent coefficients.
  const schedule = 'betas' in given ? noiseScheduleFromBetas(given.betas) : createNoiseSchedule(given);
  return { config: Object.freeze(config), schedule };
}

/** w ≥ 0; guidance contrasts with the null condition, which exists only when it is trained. */
export function requireGuidanceWeight(weight: number, conditionDropout: number): number {
  requireNonNegativeNumber('guidanceWeight', weight);
  if (weight > 0 && conditionDropout === 0) {
    throw new InvalidArgumentError(
      'guidanceWeight',
      `${weight} needs a model trained with conditionDropout > 0 (the null condition it guides against)`,
    );
  }
  return weight;
}
