import { InvalidArgumentError } from '@imecd/core';
import {
  requireNonNegativeInteger,
  requireNonNegativeNumber,
  requireOneOf,
  requireOpenUnitInterval,
  requireOptionalSeed,
  requirePositiveInteger,
  requirePositiveNumber,
  requireScopeName,
  resolveSeed,
} from '@imecd/nn';

/** How the nearest code is chosen. */
export type QuantizerDistance = 'euclidean' | 'cosine';
/** Who moves the codebook. */
export type CodebookUpdate = 'gradient' | 'ema';
/** Where the codebook starts. */
export type CodebookInitialization = 'uniform' | 'kmeans++' | 'kmeans';

/** Options of {@link createVectorQuantizer}. */
export interface VectorQuantizerOptions {
  /** Size d of the last input axis, which is also the size of every code. Required. */
  inputSize: number;
  /** Number of codes K in each codebook. Required. */
  codebookSize: number;
  /**
   * `'euclidean'`: the nearest code under squared L2 distance. `'cosine'`: inputs and codes are
   * L2-normalised before the search and the losses, so outputs lie on the unit sphere
   * (lucidrains' `use_cosine_sim`); one level only. Default `'euclidean'`.
   */
  distance?: QuantizerDistance;
  /** β in `loss = codebook loss + β · commitment loss`. Default 0.25 (VQ-VAE, LC-Rec). */
  commitmentWeight?: number;
  /**
   * `'gradient'`: the codebook is a trainable variable moved by the caller's optimizer through the
   * codebook loss. `'ema'`: it is not trainable; each training call moves every code to an
   * exponential moving average of the inputs assigned to it, and the codebook loss is left out of
   * `loss` (VQ-VAE-2, lucidrains). Default `'gradient'`.
   */
  codebookUpdate?: CodebookUpdate;
  /** γ of the EMA update, in (0, 1); used with `codebookUpdate: 'ema'`. Default 0.99 (VQ-VAE-2). */
  emaDecay?: number;
  /** ε of the Laplace smoothing of EMA cluster sizes, which keeps empty codes finite. Default 1e-5. */
  emaEpsilon?: number;
  /**
   * `'uniform'`: codes drawn from U(−1/K, 1/K) at creation (LC-Rec without k-means). `'kmeans++'`:
   * k-means++ seeds drawn from the first training batch. `'kmeans'`: those seeds refined by
   * `kmeansIterations` Lloyd iterations (LC-Rec's default). Before the first training call the
   * data-driven modes also hold uniform codes. Default `'kmeans'`.
   */
  initialization?: CodebookInitialization;
  /** Lloyd iterations of `initialization: 'kmeans'` and of `initializeFromData`. Default 10 (lucidrains). */
  kmeansIterations?: number;
  /**
   * Dead-code restart: a code that no vector picked in this many consecutive training calls is
   * moved onto a random vector of the current batch. 0 turns restart off. Default 0 (off, as in
   * lucidrains; 10–100 is a common setting).
   */
  deadCodeSteps?: number;
  /**
   * Residual quantization depth L: level l quantizes what levels 0…l−1 left over, and the output
   * is the sum of the L codes (RQ-VAE). Needs `distance: 'euclidean'` when above 1. Default 1.
   */
  levels?: number;
  /** Scope of the variable names, e.g. `vq/codebook` (`vq/level_1/codebook` with levels). Default `'vq'`. */
  name?: string;
  /** Seed of the initial codes, the k-means draws and the restart draws. Default: a random seed (recorded in `config.seed`). */
  seed?: number;
}

/** Every option with its value in force; `seed` is the one actually used. */
export type ResolvedVectorQuantizerOptions = Readonly<Required<VectorQuantizerOptions>>;

/**
 * Validates `options` once and fills in the defaults. `path` prefixes option names in errors
 * (`modalities.text.`), so a wrapper's caller learns which entry was wrong.
 */
export function resolveVectorQuantizerOptions(
  options: VectorQuantizerOptions,
  path = '',
): ResolvedVectorQuantizerOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(path === '' ? 'options' : path.slice(0, -1), 'expected an options object');
  }
  const resolved: ResolvedVectorQuantizerOptions = {
    inputSize: requirePositiveInteger(`${path}inputSize`, options.inputSize),
    codebookSize: requirePositiveInteger(`${path}codebookSize`, options.codebookSize),
    distance: requireOneOf(`${path}distance`, options.distance ?? 'euclidean', ['euclidean', 'cosine']),
    commitmentWeight: requireNonNegativeNumber(`${path}commitmentWeight`, options.commitmentWeight ?? 0.25),
    codebookUpdate: requireOneOf(`${path}codebookUpdate`, options.codebookUpdate ?? 'gradient', ['gradient', 'ema']),
    emaDecay: requireOpenUnitInterval(`${path}emaDecay`, options.emaDecay ?? 0.99),
    emaEpsilon: requirePositiveNumber(`${path}emaEpsilon`, options.emaEpsilon ?? 1e-5),
    initialization: requireOneOf(`${path}initialization`, options.initialization ?? 'kmeans', [
      'uniform',
      'kmeans++',
      'kmeans',
    ]),
    kmeansIterations: requireNonNegativeInteger(`${path}kmeansIterations`, options.kmeansIterations ?? 10),
    deadCodeSteps: requireNonNegativeInteger(`${path}deadCodeSteps`, options.deadCodeSteps ?? 0),
    levels: requirePositiveInteger(`${path}levels`, options.levels ?? 1),
    name: requireScopeName(`${path}name`, options.name ?? 'vq'),
    seed: resolveSeed(requireOptionalSeed(`${path}seed`, options.seed)),
  };
  if (resolved.distance === 'cosine' && resolved.levels > 1) {
    throw new InvalidArgumentError(
      `${path}levels`,
      `residual levels need distance 'euclidean' (a residual of unit vectors is not a unit vector), got levels ${resolved.levels} with 'cosine'`,
    );
  }
  return resolved;
}
