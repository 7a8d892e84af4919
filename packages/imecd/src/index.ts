/**
 * @file @imecd/imecd — the IMECD sequential recommender (ID-guided multimodal experts with
 * contrastive diffusion) on TensorFlow.js, behind the `RecommenderModel` contract of
 * `@imecd/recommender`. Item side: an ID embedding, and for each modality with features (text,
 * image) a mixture of experts gated by the ID embedding (`@imecd/moe`). Sequence side: one causal
 * Transformer per stream (`@imecd/nn`), whose scores are summed. The streams' last states are
 * quantized by their own codebooks (`@imecd/vq`) and fused into the condition of a diffusion
 * (`@imecd/diffusion`) that generates the next item's fused representation, sampled by DDIM with a
 * fixed seed at inference. Switches turn each part off: the paper's ablations and the multimodal
 * fusion baseline are named presets (`IMECD_VARIANTS`).
 */

export { createImecd, type ImecdModel } from './create-imecd';
export { type FeatureScaling, scaleFeatures } from './feature-scaling';
export {
  FEATURE_MODALITIES,
  type FeatureModality,
  type GeneratorKind,
  hasSplittableLoss,
  IMECD_DEFAULTS,
  IMECD_SETTINGS,
  type ImecdOptions,
  type ImecdSettings,
  type ModalityProjection,
  type ResolvedImecdOptions,
  resolveImecdOptions,
  type ScoreFusion,
  type Stream,
} from './imecd-options';
export {
  createImecdVariant,
  IMECD_VARIANT_NAMES,
  IMECD_VARIANTS,
  type ImecdSwitches,
  type ImecdVariantName,
  unusedOptions,
} from './imecd-variants';
