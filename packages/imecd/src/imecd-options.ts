import { type FeatureMatrix, InvalidArgumentError, type ItemCodes, ShapeMismatchError } from '@imecd/core';
import type { SequenceEncoderSettings } from '@imecd/nn';
import {
  requireBoolean,
  requireNonNegativeNumber,
  requireOneOf,
  requirePositiveInteger,
  requirePositiveNumber,
  requireRate,
  requireScopeName,
  requireSeed,
} from '@imecd/nn';
import type { FeatureScaling } from './feature-scaling';

/** How a modality's features reach the model width: the ablation switch of the modality experts. */
export type ModalityProjection = 'id-guided' | 'self-gated' | 'none';
/** Which scores rank the items at inference (the first reading's choice; the generative reading's score is the generation). */
export type ScoreFusion = 'sum' | 'generated' | 'streams';
/**
 * How CDG generates: `'approximator'` (the generative reading): each stream's Transformer is the
 * denoiser and the generation is the score; `'separate'` (the first reading): an MLP denoiser beside
 * the streams, conditioned on their fused VQ states.
 */
export type GeneratorKind = 'approximator' | 'separate';
/** The feature modalities IMECD reads; the ID stream is always there. */
export type FeatureModality = 'text' | 'image';
/** A stream of the model: the ID stream and one per feature modality given. */
export type Stream = 'id' | FeatureModality;

export const FEATURE_MODALITIES: readonly FeatureModality[] = Object.freeze(['text', 'image']);

/** Options of {@link createImecd}. Every number is a hyperparameter of the paper's reading in README.md. */
/** IMECD's options; the stream encoders take @imecd/nn's encoder settings (same meaning and defaults). */
export interface ImecdOptions extends SequenceEncoderSettings {
  /** Number of items (ids 1..numItems; 0 is padding). Required. */
  numItems: number;
  /**
   * Frozen item features per modality, rows 0..numItems (a dataset's `features.text` /
   * `features.image`): dense vectors, or discrete codes per item (`ItemCodes`, e.g. a residual
   * quantizer's codes of an image embedding), which the experts read as the levels-hot vector they
   * stand for without materialising it. A modality left out, or a dataset with none, leaves only
   * the streams that exist (the ID stream at least). Default `{}`.
   */
  features?: Partial<Record<FeatureModality, FeatureMatrix | ItemCodes>>;
  /** Experts per modality mixture. Default 4. */
  numExperts?: number;
  /** The generative reading (`'approximator'`) or the first reading (`'separate'`); see README.md. Default `'approximator'`. */
  generator?: GeneratorKind;
  /** λ, the scale of the noisy next-item input λ·(x_t + τ(t)) on the tokens (`'approximator'`; DiffuRec: ~0.001). Default 0.001. */
  noiseScale?: number;
  /** γ, the weight of the VQ code of the history's profile in each token, (1 − γ) that of the item (`'approximator'`; DiQDiff 0.4). Default 0.4. */
  guidanceWeight?: number;
  /** τ of the InfoNCE among generations (`'approximator'`; DiQDiff 0.07). Default 0.07. */
  contrastiveTemperature?: number;
  /** Codes per stream codebook (MS-VQ). Default 64 (the shipped sets have a few thousand items). */
  codebookSize?: number;
  /** Diffusion steps T of the truncated-linear schedule (DiffuRec). Default 32. */
  diffusionSteps?: number;
  /** DDIM steps at inference (η = 0, fixed seed). Default 8. */
  samplingSteps?: number;
  /** λ_vq: weight of the summed codebook + commitment losses. Default 0.1. */
  lambdaVq?: number;
  /** λ_diff: weight of the diffusion reconstruction (MSE) loss (`'separate'` only). Default 0.1. */
  lambdaDiffusion?: number;
  /**
   * λ_cl: weight of the InfoNCE term. `'approximator'`: among the batch's generations (negatives are
   * the other users' generations); `'separate'`: of the generated vector against in-batch targets. Default 0.1.
   */
  lambdaContrastive?: number;
  /** λ_bal: weight of the experts' load-balancing loss, summed over modalities. Default 0.01. */
  lambdaBalance?: number;
  /**
   * `'sum'`: an item's score is the generated vector's score plus every stream's own score.
   * `'generated'`: the generated vector's score alone (the streams still train through the
   * cross-entropy). `'streams'`: the streams' own scores alone, without running the diffusion
   * (what the model ranks without CDG at inference; a diagnostic, and cheaper). Training is the
   * same for all three: only inference changes. The generative reading scores with its generation
   * alone and takes only `'generated'`. Default `'generated'` (give `'sum'` with `'separate'` for the
   * first reading as it was run).
   */
  scoreFusion?: ScoreFusion;
  /**
   * Which streams' parts of the generation score the items (generative reading, inference only):
   * `'all'` is the model's score Σ_m x̂_0,m · r_m(i); a stream name keeps only that stream's term
   * x̂_0,m · r_m(i) — a diagnostic of which modality ranks, the weights untouched. Default `'all'`.
   */
  scoreStreams?: 'all' | Stream;
  /**
   * How the frozen features are rescaled before the projection: `'center-unit'` (subtract the
   * mean row, unit mean norm; see feature-scaling.ts for why) or `'none'`. Default `'center-unit'`.
   */
  featureScaling?: FeatureScaling;
  /** `'id-guided'`: MoE gated by the ID embedding; `'self-gated'`: MoE gated by the features; `'none'`: one linear projection. Default `'id-guided'`. */
  moe?: ModalityProjection;
  /** Quantize each stream's state with its own codebook before fusing the condition (MS-VQ). Default true. */
  vq?: boolean;
  /** Generate the next item's representation by conditional diffusion (CDG); false predicts it as the condition itself. Default true. */
  diffusion?: boolean;
  /** Train the generated vector with the InfoNCE loss too (needs `diffusion`). Default true. */
  contrastive?: boolean;
  /** Seed of every initial weight; dropout, noise and timesteps follow the trainer's per-step seed. Default 1. */
  seed?: number;
  /** Registry name of the model and scope of its variable names. Default `'imecd'`. */
  name?: string;
}

/** The options after defaults, without the feature values (their sizes are in `featureSizes`). */
export interface ResolvedImecdOptions {
  readonly numItems: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly innerSize: number;
  readonly dropout: number;
  readonly attentionDropout: number;
  readonly maxLength: number;
  readonly numExperts: number;
  readonly generator: GeneratorKind;
  readonly noiseScale: number;
  readonly guidanceWeight: number;
  readonly contrastiveTemperature: number;
  readonly codebookSize: number;
  readonly diffusionSteps: number;
  readonly samplingSteps: number;
  readonly lambdaVq: number;
  readonly lambdaDiffusion: number;
  readonly lambdaContrastive: number;
  readonly lambdaBalance: number;
  readonly scoreFusion: ScoreFusion;
  readonly scoreStreams: 'all' | Stream;
  readonly featureScaling: FeatureScaling;
  readonly moe: ModalityProjection;
  readonly vq: boolean;
  readonly diffusion: boolean;
  readonly contrastive: boolean;
  readonly seed: number;
  readonly name: string;
  /** The streams in score order: `id`, then each modality given. */
  readonly streams: readonly Stream[];
  /** Width of each given modality's features. */
  readonly featureSizes: Readonly<Partial<Record<FeatureModality, number>>>;
}

/** The tunable defaults, as plain numbers and strings (what a command line can `--set`). */
export const IMECD_DEFAULTS = Object.freeze({
  hiddenSize: 64,
  numLayers: 2,
  numHeads: 2,
  innerSize: 256,
  dropout: 0.5,
  attentionDropout: 0.5,
  maxLength: 50,
  numExperts: 4,
  generator: 'approximator' as GeneratorKind,
  noiseScale: 0.001,
  guidanceWeight: 0.4,
  contrastiveTemperature: 0.07,
  codebookSize: 64,
  diffusionSteps: 32,
  samplingSteps: 8,
  lambdaVq: 0.1,
  lambdaDiffusion: 0.1,
  lambdaContrastive: 0.01,
  lambdaBalance: 0.01,
  scoreFusion: 'generated' as ScoreFusion,
  scoreStreams: 'all' as 'all' | Stream,
  featureScaling: 'center-unit' as FeatureScaling,
});

/** Validates every option once and fills in the defaults. */
export function resolveImecdOptions(options: ImecdOptions): ResolvedImecdOptions {
  const numItems = requirePositiveInteger('numItems', options.numItems);
  const hiddenSize = requirePositiveInteger('hiddenSize', options.hiddenSize ?? IMECD_DEFAULTS.hiddenSize);
  const numHeads = requirePositiveInteger('numHeads', options.numHeads ?? IMECD_DEFAULTS.numHeads);
  if (hiddenSize % numHeads !== 0)
    throw new InvalidArgumentError('numHeads', `must divide hiddenSize ${hiddenSize}, got ${numHeads}`);
  const diffusionSteps = requirePositiveInteger(
    'diffusionSteps',
    options.diffusionSteps ?? IMECD_DEFAULTS.diffusionSteps,
  );
  const samplingSteps = requirePositiveInteger('samplingSteps', options.samplingSteps ?? IMECD_DEFAULTS.samplingSteps);
  if (samplingSteps > diffusionSteps)
    throw new InvalidArgumentError(
      'samplingSteps',
      `must be at most diffusionSteps ${diffusionSteps}, got ${samplingSteps}`,
    );
  const diffusion = requireBoolean('diffusion', options.diffusion ?? true);
  const contrastive = requireBoolean('contrastive', options.contrastive ?? true);
  if (contrastive && !diffusion) {
    throw new InvalidArgumentError(
      'contrastive',
      'the contrastive loss trains the diffusion; set contrastive false when diffusion is false',
    );
  }
  const generator = requireOneOf('generator', options.generator ?? IMECD_DEFAULTS.generator, [
    'approximator',
    'separate',
  ]);
  const scoreFusion = requireOneOf('scoreFusion', options.scoreFusion ?? IMECD_DEFAULTS.scoreFusion, [
    'sum',
    'generated',
    'streams',
  ]);
  if (generator === 'approximator' && scoreFusion !== 'generated') {
    throw new InvalidArgumentError(
      'scoreFusion',
      `the generative reading scores with its generation alone ('generated'); '${scoreFusion}' needs generator 'separate'`,
    );
  }
  const features = options.features ?? {};
  const featureSizes: Partial<Record<FeatureModality, number>> = {};
  for (const key of Object.keys(features)) {
    const modality = requireOneOf('features', key as FeatureModality, FEATURE_MODALITIES);
    const matrix = features[modality];
    if (matrix === undefined) continue;
    const checkMask = () => {
      if (matrix.mask.length !== numItems + 1)
        throw new ShapeMismatchError(`features.${modality}.mask`, `${numItems + 1} entries`, [matrix.mask.length]);
    };
    if ('codes' in matrix) {
      const levels = requirePositiveInteger(`features.${modality}.levels`, matrix.levels);
      const codesPerLevel = requirePositiveInteger(`features.${modality}.codesPerLevel`, matrix.codesPerLevel);
      if (matrix.codes.length !== (numItems + 1) * levels) {
        throw new ShapeMismatchError(`features.${modality}.codes`, `${numItems + 1} × ${levels} codes`, [
          matrix.codes.length,
        ]);
      }
      checkMask();
      featureSizes[modality] = levels * codesPerLevel; // the width of the levels-hot vector
      continue;
    }
    const dim = requirePositiveInteger(`features.${modality}.dim`, matrix.dim);
    if (matrix.values.length !== (numItems + 1) * dim) {
      throw new ShapeMismatchError(`features.${modality}.values`, `${numItems + 1} × ${dim} values`, [
        matrix.values.length,
      ]);
    }
    checkMask();
    featureSizes[modality] = dim;
  }
  const streams: Stream[] = ['id', ...FEATURE_MODALITIES.filter((modality) => featureSizes[modality] !== undefined)];
  const scoreStreams = requireOneOf('scoreStreams', options.scoreStreams ?? IMECD_DEFAULTS.scoreStreams, [
    'all',
    ...streams,
  ]);
  if (scoreStreams !== 'all' && generator !== 'approximator') {
    throw new InvalidArgumentError(
      'scoreStreams',
      `one stream's part of the score is the generative reading's (generator 'approximator'); the first reading has scoreFusion`,
    );
  }
  return {
    numItems,
    hiddenSize,
    numLayers: requirePositiveInteger('numLayers', options.numLayers ?? IMECD_DEFAULTS.numLayers),
    numHeads,
    innerSize: requirePositiveInteger('innerSize', options.innerSize ?? IMECD_DEFAULTS.innerSize),
    dropout: requireRate('dropout', options.dropout ?? IMECD_DEFAULTS.dropout),
    attentionDropout: requireRate('attentionDropout', options.attentionDropout ?? IMECD_DEFAULTS.attentionDropout),
    maxLength: requirePositiveInteger('maxLength', options.maxLength ?? IMECD_DEFAULTS.maxLength),
    numExperts: requirePositiveInteger('numExperts', options.numExperts ?? IMECD_DEFAULTS.numExperts),
    generator,
    noiseScale: requireNonNegativeNumber('noiseScale', options.noiseScale ?? IMECD_DEFAULTS.noiseScale),
    guidanceWeight: requireRate('guidanceWeight', options.guidanceWeight ?? IMECD_DEFAULTS.guidanceWeight),
    contrastiveTemperature: requirePositiveNumber(
      'contrastiveTemperature',
      options.contrastiveTemperature ?? IMECD_DEFAULTS.contrastiveTemperature,
    ),
    codebookSize: requirePositiveInteger('codebookSize', options.codebookSize ?? IMECD_DEFAULTS.codebookSize),
    diffusionSteps,
    samplingSteps,
    lambdaVq: requireNonNegativeNumber('lambdaVq', options.lambdaVq ?? IMECD_DEFAULTS.lambdaVq),
    lambdaDiffusion: requireNonNegativeNumber(
      'lambdaDiffusion',
      options.lambdaDiffusion ?? IMECD_DEFAULTS.lambdaDiffusion,
    ),
    lambdaContrastive: requireNonNegativeNumber(
      'lambdaContrastive',
      options.lambdaContrastive ?? IMECD_DEFAULTS.lambdaContrastive,
    ),
    lambdaBalance: requireNonNegativeNumber('lambdaBalance', options.lambdaBalance ?? IMECD_DEFAULTS.lambdaBalance),
    scoreFusion,
    scoreStreams,
    featureScaling: requireOneOf('featureScaling', options.featureScaling ?? IMECD_DEFAULTS.featureScaling, [
      'center-unit',
      'none',
    ]),
    moe: requireOneOf('moe', options.moe ?? 'id-guided', ['id-guided', 'self-gated', 'none']),
    vq: requireBoolean('vq', options.vq ?? true),
    diffusion,
    contrastive,
    seed: requireSeed('seed', options.seed ?? 1),
    name: requireScopeName('name', options.name ?? 'imecd'),
    streams,
    featureSizes,
  };
}
