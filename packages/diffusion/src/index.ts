/**
 * @file @imecd/diffusion — conditional diffusion on TensorFlow.js (`@tensorflow/tfjs-core` only,
 * functional API) that generates a vector, such as the next item's representation, from a
 * condition vector, such as a user's sequence representation. Noise schedules (linear, cosine,
 * sqrt, DiffuRec's truncated linear) with precomputed α, ᾱ and posterior coefficients; forward
 * noising; x_0-parameterised DDPM and DDIM steps; a default conditional denoiser (MLP or small
 * Transformer over [x_t, c, t]); reconstruction and in-batch InfoNCE losses; and
 * `createConditionalDiffusion`, which ties them together with classifier-free guidance and
 * seeded, backend-independent sampling. Any function `({ noisy, condition, timesteps, training })
 * → x̂_0` can replace the default denoiser.
 */

export { addNoise } from './add-noise';
export type { ConditionalDiffusionOptions, ResolvedConditionalDiffusionOptions } from './conditional-diffusion-options';
export type { ContrastiveLossOptions, ContrastiveNegatives, ContrastiveSimilarity } from './contrastive-loss';
export { CONTRASTIVE_NEGATIVES, CONTRASTIVE_SIMILARITIES, contrastiveLoss } from './contrastive-loss';
export type {
  ConditionalDenoiser,
  ConditionalDenoiserOptions,
  DenoiserArchitecture,
  ResolvedConditionalDenoiserOptions,
} from './create-conditional-denoiser';
export { createConditionalDenoiser, DENOISER_ARCHITECTURES } from './create-conditional-denoiser';
export type {
  ConditionalDiffusion,
  DiffusionLoss,
  DiffusionLossInput,
  PredictTargetInput,
} from './create-conditional-diffusion';
export { createConditionalDiffusion } from './create-conditional-diffusion';
export type { NoiseScheduleKind, NoiseScheduleOptions } from './create-noise-schedule';
export { createNoiseSchedule, NOISE_SCHEDULE_KINDS } from './create-noise-schedule';
export type {
  Approximator,
  NoisyInput,
  ResolvedSequenceDiffusionOptions,
  SequenceDiffusion,
  SequenceDiffusionOptions,
} from './create-sequence-diffusion';
export { createSequenceDiffusion } from './create-sequence-diffusion';
export type { DdimStepInput } from './ddim-step';
export { ddimStep, ddimTimesteps } from './ddim-step';
export type { DdpmStepInput, ReverseVariance } from './ddpm-step';
export { ddpmStep, REVERSE_VARIANCES } from './ddpm-step';
export type { DenoiserFunction, DenoiserInput, DenoiserModule } from './denoiser';
export type { NoiseSchedule } from './noise-schedule-from-betas';
export { noiseScheduleFromBetas } from './noise-schedule-from-betas';
export { reconstructionLoss } from './reconstruction-loss';
export type { DiffusionSampleOptions, DiffusionSampler } from './sampling-plan';
export { DIFFUSION_SAMPLERS } from './sampling-plan';
export { sinusoidalTimestepEmbedding } from './timestep-embedding';
