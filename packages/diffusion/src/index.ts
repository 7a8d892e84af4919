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
export { createNoiseSchedule, NOISE_SCHEDULE_KINDS } from './create-noise-schedule';
export type { NoiseScheduleKind, NoiseScheduleOptions } from './create-noise-schedule';
export { noiseScheduleFromBetas } from './noise-schedule-from-betas';
export type { NoiseSchedule } from './noise-schedule-from-betas';
export { addNoise } from './add-noise';
export { ddpmStep, REVERSE_VARIANCES } from './ddpm-step';
export type { DdpmStepInput, ReverseVariance } from './ddpm-step';
export { ddimStep, ddimTimesteps } from './ddim-step';
export type { DdimStepInput } from './ddim-step';
export { sinusoidalTimestepEmbedding } from './timestep-embedding';
export type { DenoiserInput, DenoiserFunction, DenoiserModule } from './denoiser';
export { createConditionalDenoiser, DENOISER_ARCHITECTURES } from './create-conditional-denoiser';
export type {
  ConditionalDenoiser,
  ConditionalDenoiserOptions,
  DenoiserArchitecture,
  ResolvedConditionalDenoiserOptions,
} from './create-conditional-denoiser';
export { reconstructionLoss } from './reconstruction-loss';
export { contrastiveLoss, CONTRASTIVE_NEGATIVES, CONTRASTIVE_SIMILARITIES } from './contrastive-loss';
export type { ContrastiveLossOptions, ContrastiveNegatives, ContrastiveSimilarity } from './contrastive-loss';
export { createConditionalDiffusion } from './create-conditional-diffusion';
export type { ConditionalDiffusion, DiffusionLossInput, DiffusionLoss, PredictTargetInput } from './create-conditional-diffusion';
export { DIFFUSION_SAMPLERS } from './sampling-plan';
export type { DiffusionSampler, DiffusionSampleOptions } from './sampling-plan';
export type { ConditionalDiffusionOptions, ResolvedConditionalDiffusionOptions } from './conditional-diffusion-options';
export { createSequenceDiffusion } from './create-sequence-diffusion';
export type {
  Approximator,
  NoisyInput,
  ResolvedSequenceDiffusionOptions,
  SequenceDiffusion,
  SequenceDiffusionOptions,
} from './create-sequence-diffusion';
