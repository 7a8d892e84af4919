import { createRng, InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import {
  createChildModules,
  disposeVariables,
  type Initializer,
  requireInitializer,
  requireOneOf,
  requirePositiveInteger,
  requireRate,
  requireScopeName,
  variablesOf,
} from '@imecd/nn';
import * as tf from '@tensorflow/tfjs-core';
import type { DenoiserModule } from './denoiser';
import { createMlpBackbone } from './mlp-backbone';
import { createTimeNetwork } from './time-network';
import { createTransformerBackbone } from './transformer-backbone';
import { resolveSeedOption } from './validate';

/** The network between [x_t, c, t] and x̂_0. */
export type DenoiserArchitecture = 'mlp' | 'transformer';

export const DENOISER_ARCHITECTURES: readonly DenoiserArchitecture[] = Object.freeze(['mlp', 'transformer']);

/** Options of {@link createConditionalDenoiser}. */
export interface ConditionalDenoiserOptions {
  /** Size D of the samples x_t and of the prediction x̂_0. Required. */
  dataSize: number;
  /** Size C of the condition vector c. Default `dataSize`. */
  conditionSize?: number;
  /**
   * `'mlp'`: [x_t ‖ c ‖ τ(t)] through `numLayers` GELU layers, then a linear map to D (DreamRec).
   * `'transformer'`: [c, τ(t), x_t] as a 3-token sequence through a pre-LN Transformer, x̂_0 read
   * off the x_t token (DiffuRec reads it off the last position too). Default `'mlp'`.
   */
  architecture?: DenoiserArchitecture;
  /** Width of τ(t), of the hidden layers and of the Transformer (divisible by `numHeads`). Default 2 · `dataSize` (DreamRec). */
  hiddenSize?: number;
  /** Hidden GELU layers of the MLP (0 = one linear layer), or Transformer blocks. Default 2. */
  numLayers?: number;
  /** `'transformer'` only: attention heads. Default 2. */
  numHeads?: number;
  /** Size of the sinusoidal timestep embedding that τ(t) starts from; at least 2. Default `hiddenSize`. */
  timeEmbeddingSize?: number;
  /** Dropout rate while training: after each MLP hidden layer, or the Transformer's hidden and attention dropout. Default 0. */
  dropout?: number;
  /** How every kernel starts. Default `'glorot-uniform'`. */
  initializer?: Initializer;
  /** Scope of all variable names, e.g. `denoiser/time/inner/kernel`. Default `'denoiser'`. */
  name?: string;
  /** Seed of the initial weights and of the dropout masks. Default: a random seed (not reproducible). */
  seed?: number;
}

/** The options after defaults, with the seed that was actually used. */
export type ResolvedConditionalDenoiserOptions = Readonly<Required<ConditionalDenoiserOptions>>;

/** The default conditional denoiser: predicts x̂_0 from x_t, the condition c and the step t. */
export interface ConditionalDenoiser extends DenoiserModule {
  readonly config: ResolvedConditionalDenoiserOptions;
}

/**
 * Builds the default denoiser. Both architectures first turn the step into learned features
 * τ(t) = W₂ · GELU(W₁ · sinusoid(t) + b₁) + b₂ (DreamRec's time MLP, variables `<name>/time/…`);
 * the rest is described under {@link ConditionalDenoiserOptions.architecture}.
 */
export function createConditionalDenoiser(options: ConditionalDenoiserOptions): ConditionalDenoiser {
  const config = resolveOptions(options);
  const { dataSize, conditionSize, hiddenSize, name, initializer } = config;
  const rng = createRng(config.seed);
  const parts = createChildModules({
    time: () =>
      createTimeNetwork(
        { embeddingSize: config.timeEmbeddingSize, hiddenSize, initializer, name: `${name}/time` },
        rng,
      ),
    backbone: () =>
      config.architecture === 'mlp' ? createMlpBackbone(config, rng) : createTransformerBackbone(config, rng),
  });
  const variables = variablesOf(parts);

  return {
    config,
    variables,
    dispose: () => disposeVariables(variables),
    apply(input) {
      const { noisy, condition, timesteps } = input;
      if (noisy.rank !== 2 || noisy.shape[1] !== dataSize)
        throw new ShapeMismatchError('noisy', `[B, ${dataSize}]`, noisy.shape);
      const batch = noisy.shape[0];
      if (condition.rank !== 2 || condition.shape[0] !== batch || condition.shape[1] !== conditionSize) {
        throw new ShapeMismatchError('condition', `[${batch}, ${conditionSize}]`, condition.shape);
      }
      if (timesteps.rank !== 1 || timesteps.shape[0] !== batch)
        throw new ShapeMismatchError('timesteps', `[${batch}]`, timesteps.shape);
      return tf.tidy(() => parts.backbone.apply(input, parts.time.apply(timesteps)));
    },
  };
}

function resolveOptions(options: ConditionalDenoiserOptions): ResolvedConditionalDenoiserOptions {
  const dataSize = requirePositiveInteger('dataSize', options.dataSize);
  const architecture = requireOneOf('architecture', options.architecture ?? 'mlp', DENOISER_ARCHITECTURES);
  const hiddenSize = requirePositiveInteger('hiddenSize', options.hiddenSize ?? 2 * dataSize);
  if (architecture === 'mlp' && options.numHeads !== undefined)
    throw new InvalidArgumentError('numHeads', "only the 'transformer' architecture takes it");
  const numHeads = requirePositiveInteger('numHeads', options.numHeads ?? 2);
  if (architecture === 'transformer' && hiddenSize % numHeads !== 0) {
    throw new InvalidArgumentError('numHeads', `must divide hiddenSize ${hiddenSize}, got ${numHeads}`);
  }
  const timeEmbeddingSize = options.timeEmbeddingSize ?? hiddenSize;
  if (!Number.isInteger(timeEmbeddingSize) || timeEmbeddingSize < 2) {
    throw new InvalidArgumentError('timeEmbeddingSize', `expected an integer ≥ 2, got ${timeEmbeddingSize}`);
  }
  const numLayers = options.numLayers ?? 2;
  if (!Number.isInteger(numLayers) || numLayers < 0)
    throw new InvalidArgumentError('numLayers', `expected a non-negative integer, got ${numLayers}`);
  return {
    dataSize,
    conditionSize: requirePositiveInteger('conditionSize', options.conditionSize ?? dataSize),
    architecture,
    hiddenSize,
    numLayers,
    numHeads,
    timeEmbeddingSize,
    dropout: requireRate('dropout', options.dropout ?? 0),
    initializer: requireInitializer('initializer', options.initializer ?? 'glorot-uniform'),
    name: requireScopeName('name', options.name ?? 'denoiser'),
    seed: resolveSeedOption(options.seed),
  };
}
