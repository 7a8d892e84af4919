import {
  defineSettings,
  type FeatureMatrix,
  InvalidArgumentError,
  type ItemCodes,
  type SettingsOf,
  ShapeMismatchError,
} from '@imecd/core';
import {
  requireBoolean,
  requireOneOf,
  requirePositiveInteger,
  requireScopeName,
  requireSeed,
  SEQUENCE_ENCODER_SETTINGS,
} from '@imecd/nn';

/** How a modality's features reach the model width: the ablation switch of the modality experts. */
export type ModalityProjection = 'id-guided' | 'self-gated' | 'none';
/** Which scores rank the items at inference (the first reading's choice; the generative reading's score is the generation). */
export type ScoreFusion = ImecdSettings['scoreFusion'];
/**
 * How CDG generates: `'approximator'` (the generative reading): each stream's Transformer is the
 * denoiser and the generation is the score; `'separate'` (the first reading): an MLP denoiser beside
 * the streams, conditioned on their fused VQ states.
 */
export type GeneratorKind = ImecdSettings['generator'];
/** The feature modalities IMECD reads; the ID stream is always there. */
export type FeatureModality = 'text' | 'image';
/** A stream of the model: the ID stream and one per feature modality given. */
export type Stream = 'id' | FeatureModality;

export const FEATURE_MODALITIES: readonly FeatureModality[] = Object.freeze(['text', 'image']);

/**
 * IMECD's tunable settings, declared once: defaults, allowed ranges and the options table of
 * README.md all come from here (the stream encoders' settings are @imecd/nn's, same meaning and defaults).
 */
export const IMECD_SETTINGS = defineSettings({
  ...SEQUENCE_ENCODER_SETTINGS,
  numLayers: { ...SEQUENCE_ENCODER_SETTINGS.numLayers, min: 1 },
  numExperts: { kind: 'integer', default: 4, min: 1, doc: 'experts per modality mixture' },
  generator: {
    kind: 'choice',
    default: 'approximator',
    values: ['approximator', 'separate'],
    doc: "the generative reading (each stream's Transformer denoises; the generation is the score) or the first reading (an MLP denoiser beside the streams)",
  },
  noiseScale: {
    kind: 'number',
    default: 0.001,
    min: 0,
    doc: "λ, scale of the noisy next-item input λ·(x_t + τ(t)) on the tokens ('approximator'; DiffuRec ~0.001)",
  },
  guidanceWeight: {
    kind: 'number',
    default: 0.4,
    min: 0,
    max: 1,
    exclusiveMax: true,
    doc: "γ, weight of the VQ code of the history's profile in each token, 1 − γ the item's ('approximator'; DiQDiff 0.4)",
  },
  streamGate: {
    kind: 'choice',
    default: 'none',
    values: ['none', 'id-state'],
    doc: "'id-state': each stream's term of the score weighted per history by M·softmax of the ID stream's generation ('approximator', several streams; stream-gate.ts); 'none': the plain sum",
  },
  contrastiveTemperature: {
    kind: 'number',
    default: 0.07,
    min: 0,
    exclusiveMin: true,
    doc: "τ of the InfoNCE among generations ('approximator'; DiQDiff 0.07)",
  },
  codebookSize: { kind: 'integer', default: 64, min: 1, doc: 'codes per stream codebook (MS-VQ)' },
  diffusionSteps: {
    kind: 'integer',
    default: 32,
    min: 1,
    doc: 'diffusion steps T of the truncated-linear schedule (DiffuRec)',
  },
  samplingSteps: {
    kind: 'integer',
    default: 8,
    min: 1,
    doc: 'DDIM steps at inference (η = 0, seeded per history); at most diffusionSteps',
  },
  lambdaVq: { kind: 'number', default: 0.1, min: 0, doc: 'λ_vq, weight of the summed codebook + commitment losses' },
  lambdaDiffusion: {
    kind: 'number',
    default: 0.1,
    min: 0,
    doc: "λ_diff, weight of the diffusion reconstruction (MSE) loss ('separate' only)",
  },
  lambdaContrastive: {
    kind: 'number',
    default: 0.01,
    min: 0,
    doc: "λ_cl, weight of the InfoNCE term (among generations; 'separate': against in-batch targets); 0.01 chosen on scientific's validation",
  },
  lambdaBalance: { kind: 'number', default: 0.01, min: 0, doc: "λ_bal, weight of the experts' load-balancing loss" },
  scoreFusion: {
    kind: 'choice',
    default: 'generated',
    values: ['sum', 'generated', 'streams'],
    doc: "what ranks at inference: the generation alone, + every stream's score ('sum'), or the streams alone ('streams'); the generative reading takes only 'generated'",
  },
  scoreStreams: {
    kind: 'choice',
    default: 'all',
    values: ['all', 'id', 'text', 'image'],
    doc: "which streams' terms of the generated score rank (inference only; one stream is a diagnostic); the run's streams only",
  },
  featureScaling: {
    kind: 'choice',
    default: 'center-unit',
    values: ['center-unit', 'none'],
    doc: 'rescaling of frozen features before the projection: centred, unit mean norm (feature-scaling.ts), or none',
  },
});

/** IMECD's tunable settings with their types (what a command line may `--set`). */
export type ImecdSettings = SettingsOf<typeof IMECD_SETTINGS.specs>;

/** The tunable defaults (what a command line may `--set`); see {@link IMECD_SETTINGS}. */
export const IMECD_DEFAULTS: Readonly<ImecdSettings> = IMECD_SETTINGS.defaults;

/**
 * Options of {@link createImecd}: the model's structure below, and its tunable settings
 * ({@link IMECD_SETTINGS}, the options table in README.md), each defaulted when left out.
 */
export interface ImecdOptions extends Partial<ImecdSettings> {
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
export interface ResolvedImecdOptions extends Readonly<ImecdSettings> {
  readonly numItems: number;
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

/**
 * Whether a model with these switches may split a batch over gradient shards (RecommenderModel's
 * splittableLoss): without VQ, diffusion and the InfoNCE its loss is a mean over scored positions plus
 * the experts' item-side balance term, which the parts recombine exactly; the per-window VQ and
 * diffusion terms and the in-batch InfoNCE do not (README, "Only mm-fusion splits batches").
 */
export function hasSplittableLoss(switches: { vq: boolean; diffusion: boolean; contrastive: boolean }): boolean {
  return !switches.vq && !switches.diffusion && !switches.contrastive;
}

/** Validates every option once and fills in the defaults. */
export function resolveImecdOptions(options: ImecdOptions): ResolvedImecdOptions {
  const numItems = requirePositiveInteger('numItems', options.numItems);
  const given = Object.fromEntries(IMECD_SETTINGS.keys.map((key) => [key, options[key]]));
  const settings = IMECD_SETTINGS.resolve(given, 'IMECD');
  const { hiddenSize, numHeads, diffusionSteps, samplingSteps, generator, scoreFusion } = settings;
  if (hiddenSize % numHeads !== 0)
    throw new InvalidArgumentError('numHeads', `must divide hiddenSize ${hiddenSize}, got ${numHeads}`);
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
  if (generator === 'approximator' && scoreFusion !== 'generated') {
    throw new InvalidArgumentError(
      'scoreFusion',
      `the generative reading scores with its generation alone ('generated'); '${scoreFusion}' needs generator 'separate'`,
    );
  }
  if (settings.streamGate !== 'none' && generator !== 'approximator')
    throw new InvalidArgumentError(
      'streamGate',
      `the stream gate weights the generative reading's streams (generator 'approximator'), got generator '${generator}'`,
    );
  const featureSizes = resolveFeatureSizes(options.features ?? {}, numItems);
  const streams: Stream[] = ['id', ...FEATURE_MODALITIES.filter((modality) => featureSizes[modality] !== undefined)];
  const scoreStreams = requireOneOf('scoreStreams', settings.scoreStreams, ['all', ...streams]);
  if (scoreStreams !== 'all' && generator !== 'approximator') {
    throw new InvalidArgumentError(
      'scoreStreams',
      `one stream's part of the score is the generative reading's (generator 'approximator'); the first reading has scoreFusion`,
    );
  }
  return {
    ...settings,
    numItems,
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

/** Checks each modality's features against `numItems` and returns their widths (a code set: levels × codes). */
function resolveFeatureSizes(
  features: NonNullable<ImecdOptions['features']>,
  numItems: number,
): Partial<Record<FeatureModality, number>> {
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
  return featureSizes;
}
