/**
 * @file @imecd/moe — an ID-guided mixture of modality experts for recommenders on TensorFlow.js
 * (`@tensorflow/tfjs-core` only, functional API). A modality input x (text or image features)
 * goes through K experts (linear or two-layer GELU) and is mixed as Σ_k w_k(g) · E_k(x), with the
 * gate w = softmax((g·W_g + b) / τ) read from a guide g, the item's ID embedding, as in IMECD; or
 * from x itself (`gating: 'self'`, UniSRec and HM4SR), so "ID guidance vs. self gating" is one
 * option. Noisy gating in training, top-k sparse routing and input dropout are options; every call
 * returns the gate weights and Shazeer et al.'s load-balancing (importance CV²) loss. Weights are
 * plain tfjs Variables with scoped names (`moe/expert_0/kernel`), trainable by any optimizer and
 * saved with `@imecd/nn`'s `serializeVariables`.
 */

export type { ExpertKind } from './expert-bank';
export { type HotRows, hotMatMul, hotRowsFromCodes } from './hot-rows';
export { type LoadBalancingLossOptions, loadBalancingLoss } from './load-balancing-loss';
export {
  createMixtureOfExperts,
  type Gating,
  type MixtureOfExperts,
  type MixtureOfExpertsApplyOptions,
  type MixtureOfExpertsOptions,
  type MixtureOfExpertsResult,
  type ResolvedMixtureOfExpertsOptions,
} from './mixture-of-experts';
export { topKMask } from './top-k-mask';
