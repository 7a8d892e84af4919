import { createRng, InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import type { Tensor, Tensor2D, Tensor3D, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { createCausalAttentionBias } from './causal-attention-bias';
import { dropout } from './dropout';
import { type Initializer, parseInitializer } from './initializer';
import { lastState } from './last-state';
import { createLayerNorm } from './layer-norm';
import {
  createChildModules,
  createModuleList,
  createVariableModule,
  disposeVariables,
  type Module,
  variablesOf,
} from './module';
import type { AttentionKeysValues } from './multi-head-self-attention';
import { createSeededRng, drawSeed, resolveSeed } from './seed';
import { createTransformerLayer } from './transformer-layer';
import {
  requireNonNegativeInteger,
  requirePositiveInteger,
  requirePositiveNumber,
  requireRate,
  requireScopeName,
} from './validate';

/** Options of {@link createTransformerEncoder}; the defaults are RecBole's SASRec settings. */
export interface TransformerEncoderOptions {
  /** Model width D (input, state and position-embedding size). Default 64. */
  hiddenSize?: number;
  /** Number of Transformer blocks; 0 leaves only embeddings, norm and dropout. Default 2. */
  numLayers?: number;
  /** Attention heads per block; must divide `hiddenSize`. Default 2. */
  numHeads?: number;
  /** Width of the feed-forward layer (D → innerSize → D). Default 256. */
  innerSize?: number;
  /** Hidden dropout rate: after the embedding norm, the attention output and the feed-forward output. Default 0.5. */
  dropout?: number;
  /** Dropout rate on the attention probabilities. Default 0.5. */
  attentionDropout?: number;
  /** Number of learned positions; inputs may be at most this long. Default 50. */
  maxLength?: number;
  /** Epsilon of every LayerNorm. Default 1e-12. */
  layerNormEpsilon?: number;
  /**
   * false: post-LN (RecBole SASRec) — LayerNorm after the embeddings and after each residual.
   * true: pre-LN — LayerNorm before each sub-layer and once after the last block. Default false.
   */
  normFirst?: boolean;
  /** Seed of every initial weight and every dropout mask. Default: a random seed (not reproducible). */
  seed?: number;
  /** Scope of all variable names, e.g. `encoder/layer_0/attention/query/kernel`. Default `'encoder'`. */
  name?: string;
  /** How projection kernels and position embeddings start. Default `'normal(0.02)'` (RecBole). */
  initializer?: Initializer;
}

/**
 * The encoder settings that models built on it expose as their own hyperparameters (SASRec,
 * IMECD's stream encoders), with the same meaning and defaults.
 */
export type SequenceEncoderSettings = Pick<
  TransformerEncoderOptions,
  'hiddenSize' | 'numLayers' | 'numHeads' | 'innerSize' | 'dropout' | 'attentionDropout' | 'maxLength'
>;

/** The options after defaults, with the seed that was actually used. */
export type ResolvedTransformerEncoderOptions = Readonly<Required<TransformerEncoderOptions>>;

/** Options of {@link TransformerEncoder.apply}. */
export interface TransformerEncoderApplyOptions {
  /** Apply dropout. Required, so no call trains by accident. */
  training: boolean;
  /**
   * Seed of this call's dropout masks. Given, the masks depend on the call alone, so a training
   * run resumed from a checkpoint draws exactly the masks an uninterrupted run would. Default:
   * the next masks of the encoder's own stream (seeded by `seed` at construction).
   */
  seed?: number;
}

/**
 * What {@link TransformerEncoder.prefix} keeps: everything about a batch of sequences that does not
 * depend on the input at the last position. Its tensors belong to the caller: create it inside a
 * `tf.tidy` or call `dispose()`.
 */
export interface EncoderPrefix {
  /** Per block, the attention's keys and values of positions 0 … L − 2 ([B·H, L − 1, D/H] each). */
  readonly keysAndValues: readonly AttentionKeysValues[];
  /** The attention bias of the last query row, [B, 1, 1, L]. */
  readonly lastQueryBias: Tensor;
  dispose(): void;
}

/** A causal Transformer over left-padded sequences of item representations. */
export interface TransformerEncoder extends Module {
  readonly config: ResolvedTransformerEncoderOptions;
  /** The [maxLength, D] learned position embedding. */
  readonly positionEmbedding: Variable;
  /**
   * `inputs` [B, L, D] (L ≤ maxLength, most recent item at L − 1) and `paddingMask` [B, L]
   * (1 = real item, 0 = left padding) → states [B, L, D]. Each position sees itself and earlier
   * real positions only. States at padded positions are finite but meaningless: mask them out.
   */
  apply(inputs: Tensor3D, paddingMask: Tensor2D, options: TransformerEncoderApplyOptions): Tensor3D;
  /** [B, L, D] → [B, D], the state at position L − 1 (the most recent item). */
  lastState(states: Tensor3D): Tensor2D;
  /**
   * `lastState(apply(inputs, paddingMask, options))` for less work: the last block computes
   * queries, attention output and feed-forward for position L − 1 alone (keys and values still
   * for every position), so a model that reads only the most recent state — scoring all items
   * for a user — skips most of that block. Same values to float tolerance; with `training`, the
   * dropout masks are drawn for the smaller shapes, so they differ from `apply`'s.
   */
  applyLast(inputs: Tensor3D, paddingMask: Tensor2D, options: TransformerEncoderApplyOptions): Tensor2D;
  /**
   * Inference only. The attention keys and values of positions 0 … L − 2 at every block, which
   * causal attention makes independent of position L − 1's input: with {@link applyLastWithPrefix},
   * the last state for many different last inputs (a diffusion's reverse steps) costs one pass for
   * the prefix and then, per input, only the last position's projections, attention and feed-forward.
   * `inputs[:, L − 1]` is ignored.
   */
  prefix(inputs: Tensor3D, paddingMask: Tensor2D): EncoderPrefix;
  /**
   * `applyLast(inputs with row L − 1 replaced by lastInput, paddingMask, { training: false })` from a
   * {@link prefix} of the same batch: `lastInput` [B, D] → [B, D]. Same values to float tolerance.
   */
  applyLastWithPrefix(prefix: EncoderPrefix, lastInput: Tensor2D): Tensor2D;
}

/**
 * A SASRec-style causal Transformer encoder (RecBole layout by default).
 *
 * Positions: position embeddings are aligned to the right end of the window. A window of length
 * L uses rows maxLength − L … maxLength − 1, so with the usual L = maxLength position t is simply
 * row t (absolute index 0 … L − 1), and the most recent item always meets row maxLength − 1 even
 * in shorter windows. Padded positions get embeddings too; they never reach real positions,
 * because padded keys are masked out of every attention row.
 */
export function createTransformerEncoder(options: TransformerEncoderOptions = {}): TransformerEncoder {
  const config = resolveOptions(options);
  const { hiddenSize, maxLength, name, normFirst } = config;
  const rng = createSeededRng(config.seed);
  const fill = parseInitializer('initializer', config.initializer);

  const children = createChildModules({
    positions: () =>
      createVariableModule(`${name}/position_embedding`, [maxLength, hiddenSize], fill([maxLength, hiddenSize], rng)),
    // Post-LN normalises the embeddings; pre-LN normalises the last block's output instead.
    norm: () =>
      createLayerNorm({
        size: hiddenSize,
        epsilon: config.layerNormEpsilon,
        name: `${name}/${normFirst ? 'final_norm' : 'embedding_norm'}`,
      }),
    layers: () =>
      createModuleList(
        Array.from(
          { length: config.numLayers },
          (_, index) => () =>
            createTransformerLayer({ ...config, name: `${name}/layer_${index}`, seed: drawSeed(rng) }),
        ),
      ),
  });
  const positionEmbedding = children.positions.variable;
  const { norm } = children;
  const layers = children.layers.items;
  const variables = variablesOf(children);

  return {
    config,
    positionEmbedding,
    variables,
    dispose: () => disposeVariables(variables),
    lastState,
    apply(inputs, paddingMask, options) {
      return run(inputs, paddingMask, options, false);
    },
    applyLast(inputs, paddingMask, options) {
      return tf.tidy(
        () => tf.reshape(run(inputs, paddingMask, options, true), [inputs.shape[0], hiddenSize]) as Tensor2D,
      ); // [B, 1, D] → [B, D]
    },
    prefix(inputs, paddingMask) {
      checkInputs(inputs, paddingMask);
      const [batch, length] = inputs.shape;
      const { keysAndValues, lastQueryBias } = tf.tidy(() => {
        const attentionBias = createCausalAttentionBias(paddingMask); // [B, 1, L, L]
        let states = embed(inputs); // [B, L, D]
        const kept: AttentionKeysValues[] = [];
        layers.forEach((layer, index) => {
          kept.push(layer.keysAndValues(tf.slice(states, [0, 0, 0], [batch, length - 1, hiddenSize]))); // [B·H, L − 1, D/H] each
          // The last block's outputs feed no later block: applyLastWithPrefix computes the one it needs.
          if (index < layers.length - 1) states = layer.apply(states, attentionBias, { training: false });
        });
        return {
          keysAndValues: kept,
          lastQueryBias: tf.slice(attentionBias, [0, 0, length - 1, 0], [batch, 1, 1, length]),
        }; // [B, 1, 1, L]
      });
      return {
        keysAndValues,
        lastQueryBias,
        dispose: () => tf.dispose([...keysAndValues.flatMap(({ keys, values }) => [keys, values]), lastQueryBias]),
      };
    },
    applyLastWithPrefix(prefix, lastInput) {
      const { lastQueryBias, keysAndValues } = prefix;
      const batch = lastQueryBias.shape[0]!;
      if (lastInput.rank !== 2 || lastInput.shape[0] !== batch || lastInput.shape[1] !== hiddenSize) {
        throw new ShapeMismatchError('lastInput', `[${batch}, ${hiddenSize}]`, lastInput.shape);
      }
      return tf.tidy(() => {
        const position = tf.slice(positionEmbedding, [maxLength - 1, 0], [1, hiddenSize]); // [1, D]: the last row
        let last = tf.reshape(tf.add(lastInput, position), [batch, 1, hiddenSize]) as Tensor3D; // [B, 1, D]
        if (!normFirst) last = norm.apply(last);
        layers.forEach((layer, index) => {
          last = layer.applyLastCached(last, keysAndValues[index]!, lastQueryBias); // [B, 1, D]
        });
        return tf.reshape(normFirst ? norm.apply(last) : last, [batch, hiddenSize]) as Tensor2D;
      });
    },
  };

  /** Position embeddings added, and (post-LN) normalised: the first block's input, at inference. */
  function embed(inputs: Tensor3D): Tensor3D {
    const length = inputs.shape[1];
    const positions = tf.slice(positionEmbedding, [maxLength - length, 0], [length, hiddenSize]); // [L, D]
    const states = tf.add(inputs, positions) as Tensor3D; // [B, L, D]
    return normFirst ? states : norm.apply(states);
  }

  function checkInputs(inputs: Tensor3D, paddingMask: Tensor2D): void {
    if (inputs.rank !== 3 || inputs.shape[2] !== hiddenSize || inputs.shape[1] > maxLength || inputs.shape[1] < 1) {
      throw new ShapeMismatchError('inputs', `[B, 1…${maxLength}, ${hiddenSize}]`, inputs.shape);
    }
    const [batch, length] = inputs.shape;
    if (paddingMask.rank !== 2 || paddingMask.shape[0] !== batch || paddingMask.shape[1] !== length) {
      throw new ShapeMismatchError('paddingMask', `[${batch}, ${length}] like inputs`, paddingMask.shape);
    }
  }

  /** All positions → [B, L, D], or (lastOnly) position L − 1 through the last block → [B, 1, D]. */
  function run(
    inputs: Tensor3D,
    paddingMask: Tensor2D,
    { training, seed }: TransformerEncoderApplyOptions,
    lastOnly: boolean,
  ): Tensor3D {
    checkInputs(inputs, paddingMask);
    const [batch, length] = inputs.shape;
    return tf.tidy(() => {
      let states = embed(inputs); // [B, L, D]
      const maskRng = seed === undefined ? rng : createRng(seed);
      if (training) states = dropout(states, config.dropout, { training, seed: drawSeed(maskRng) });
      const attentionBias = createCausalAttentionBias(paddingMask); // [B, 1, L, L]
      layers.forEach((layer, index) => {
        const lastQueryOnly = lastOnly && index === layers.length - 1;
        states = layer.apply(states, attentionBias, {
          training,
          lastQueryOnly,
          ...(training && seed !== undefined ? { seed: drawSeed(maskRng) } : {}),
        });
      });
      // Without blocks, nothing mixes positions: the last one is a slice.
      if (lastOnly && layers.length === 0) states = tf.slice(states, [0, length - 1, 0], [batch, 1, hiddenSize]);
      return normFirst ? norm.apply(states) : states;
    });
  }
}

function resolveOptions(options: TransformerEncoderOptions): ResolvedTransformerEncoderOptions {
  const hiddenSize = requirePositiveInteger('hiddenSize', options.hiddenSize ?? 64);
  const numHeads = requirePositiveInteger('numHeads', options.numHeads ?? 2);
  if (hiddenSize % numHeads !== 0) {
    throw new InvalidArgumentError('numHeads', `must divide hiddenSize ${hiddenSize}, got ${numHeads}`);
  }
  const normFirst = options.normFirst ?? false;
  if (typeof normFirst !== 'boolean')
    throw new InvalidArgumentError('normFirst', `expected a boolean, got ${String(normFirst)}`);
  const initializer = options.initializer ?? 'normal(0.02)';
  parseInitializer('initializer', initializer);
  return {
    hiddenSize,
    numLayers: requireNonNegativeInteger('numLayers', options.numLayers ?? 2),
    numHeads,
    innerSize: requirePositiveInteger('innerSize', options.innerSize ?? 256),
    dropout: requireRate('dropout', options.dropout ?? 0.5),
    attentionDropout: requireRate('attentionDropout', options.attentionDropout ?? 0.5),
    maxLength: requirePositiveInteger('maxLength', options.maxLength ?? 50),
    layerNormEpsilon: requirePositiveNumber('layerNormEpsilon', options.layerNormEpsilon ?? 1e-12),
    normFirst,
    seed: validateSeed(resolveSeed(options.seed)),
    name: requireScopeName('name', options.name ?? 'encoder'),
    initializer,
  };
}

function validateSeed(seed: number): number {
  if (!Number.isFinite(seed)) throw new InvalidArgumentError('seed', `expected a finite number, got ${seed}`);
  return seed;
}
