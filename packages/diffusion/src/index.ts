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
export {
  CONTRASTIVE_NEGATIVES,
  CONTRASTIVE_SIMILARITIES,
  type ContrastiveLossOptions,
  type ContrastiveNegatives,
  type ContrastiveSimilarity,
  contrastiveLoss,
} from './contrastive-loss';
export {
  type ConditionalDenoiser,
  type ConditionalDenoiserOptions,
  createConditionalDenoiser,
  DENOISER_ARCHITECTURES,
  type DenoiserArchitecture,
  type ResolvedConditionalDenoiserOptions,
} from './create-conditional-denoiser';
export {
  type ConditionalDiffusion,
  createConditionalDiffusion,
  type DiffusionLoss,
  type DiffusionLossInput,
  type PredictTargetInput,
} from './create-conditional-diffusion';
export {
  createNoiseSchedule,
  NOISE_SCHEDULE_KINDS,
  type NoiseScheduleKind,
  type NoiseScheduleOptions,
} from './create-noise-schedule';
export {
  type Approximator,
  createSequenceDiffusion,
  type NoisyInput,
  type ResolvedSequenceDiffusionOptions,
  type SequenceDiffusion,
  type SequenceDiffusionOptions,
} from './create-sequence-diffusion';
export { type DdimStepInput, ddimStep, ddimTimesteps } from './ddim-step';
export { type DdpmStepInput, ddpmStep, REVERSE_VARIANCES, type ReverseVariance } from './ddpm-step';
export type { DenoiserFunction, DenoiserInput, DenoiserModule } from './denoiser';
export { type NoiseSchedule, noiseScheduleFromBetas } from './noise-schedule-from-betas';
export { reconstructionLoss } from './reconstruction-loss';
export { DIFFUSION_SAMPLERS, type DiffusionSampleOptions, type DiffusionSampler } from './sampling-plan';
export { sinusoidalTimestepEmbedding } from './timestep-embedding';
