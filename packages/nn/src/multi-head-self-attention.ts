import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import type { Tensor, Tensor2D, Tensor3D, Tensor4D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { batchMatMul } from './batch-mat-mul';
import { createDense, type Dense } from './dense';
import { dropout } from './dropout';
import type { Initializer } from './initializer';
import { createChildModules, disposeVariables, type Module, variablesOf } from './module';
import { createSeededRng, drawSeed } from './seed';
import { requirePositiveInteger, requireRate, requireScopeName } from './validate';

/** Options of {@link createMultiHeadSelfAttention}. */
export interface MultiHeadSelfAttentionOptions {
  /** Model width D; must be divisible by `numHeads`. Required. */
  hiddenSize: number;
  /** Number of heads H; each head has width D / H. Required. */
  numHeads: number;
  /** Dropout rate on the attention probabilities while training. Default 0. */
  attentionDropout?: number;
  /** Scope of `<name>/{query,key,value,output}/{kernel,bias}`. Default `'attention'`. */
  name?: string;
  /** Seed of the initial weights and of the dropout masks. Default: a random seed. */
  seed?: number;
  /** How the four projection kernels start. Default `'normal(0.02)'`. */
  initializer?: Initializer;
}

/**
 * Keys and values of some positions, by head: [B·H, n, D/H] each. What later positions attend to
 * at inference ({@link MultiHeadSelfAttention.applyLastCached}); the caller owns the tensors. A type
 * rather than an interface, so that `tf.tidy` can return it.
 */
export type AttentionKeysValues = {
  readonly keys: Tensor3D;
  readonly values: Tensor3D;
};

/** Scaled dot-product self-attention with H heads and query/key/value/output projections. */
export interface MultiHeadSelfAttention extends Module {
  /**
   * `x` [B, L, D] and an additive `attentionBias` broadcastable to [B, H, L, L] (see
   * `createCausalAttentionBias`) → [B, L, D], after the output projection. With `lastQueryOnly`,
   * only position L − 1 attends (over all L keys and values) → [B, 1, D]: what a model that reads
   * the last state alone needs from its last block, for 1/L of the query-side work.
   */
  apply(
    x: Tensor3D,
    attentionBias: Tensor,
    options: { training: boolean; seed?: number; lastQueryOnly?: boolean },
  ): Tensor3D;
  /** Inference: the keys and values of `x` [B, n, D]'s positions, for {@link applyLastCached}. */
  keysAndValues(x: Tensor3D): AttentionKeysValues;
  /**
   * Inference, one more position: `last` [B, 1, D] at position n attends over `earlier` (the
   * {@link keysAndValues} of positions 0 … n − 1) and itself, with `lastQueryBias` broadcastable to
   * [B, H, 1, n + 1] → [B, 1, D]. The same values as `apply(x, bias, { lastQueryOnly: true })` on
   * all n + 1 positions (each projected row is the same product), while projecting one row
   * instead of n + 1: a diffusion's reverse steps change only the last input.
   */
  applyLastCached(last: Tensor3D, earlier: AttentionKeysValues, lastQueryBias: Tensor): Tensor3D;
}

export function createMultiHeadSelfAttention(options: MultiHeadSelfAttentionOptions): MultiHeadSelfAttention {
  const hiddenSize = requirePositiveInteger('hiddenSize', options.hiddenSize);
  const numHeads = requirePositiveInteger('numHeads', options.numHeads);
  if (hiddenSize % numHeads !== 0) {
    throw new InvalidArgumentError('numHeads', `must divide hiddenSize ${hiddenSize}, got ${numHeads}`);
  }
  const attentionDropout = requireRate('attentionDropout', options.attentionDropout ?? 0);
  const name = requireScopeName('name', options.name ?? 'attention');
  const initializer = options.initializer ?? 'normal(0.02)';
  const rng = createSeededRng(options.seed);
  const headSize = hiddenSize / numHeads;

  const projection = (role: string) => () =>
    createDense({
      inputSize: hiddenSize,
      outputSize: hiddenSize,
      name: `${name}/${role}`,
      seed: drawSeed(rng),
      initializer,
    });
  const children = createChildModules<Record<'query' | 'key' | 'value' | 'output', Dense>>({
    query: projection('query'),
    key: projection('key'),
    value: projection('value'),
    output: projection('output'),
  });
  const { query, key, value, output } = children;
  const variables = variablesOf(children);

  // [B·n, D] → [B·H, n, D/H]: heads become batch entries of one batched product.
  const splitHeads = (projected: Tensor, batch: number, positions: number): Tensor3D =>
    tf.reshape(tf.transpose(tf.reshape(projected, [batch, positions, numHeads, headSize]), [0, 2, 1, 3]), [
      batch * numHeads,
      positions,
      headSize,
    ]);
  const keysValuesOf = (rows: Tensor, batch: number, positions: number): AttentionKeysValues => ({
    keys: splitHeads(key.apply(rows), batch, positions),
    values: splitHeads(value.apply(rows), batch, positions),
  }); // [B·n, D] → [B·H, n, D/H] each
  // Scaling the queries (B·Q·D values) is cheaper than scaling the scores (B·H·Q·L).
  const scaledQueries = (rows: Tensor2D, batch: number, positions: number): Tensor3D =>
    splitHeads(tf.mul(query.apply(rows), 1 / Math.sqrt(headSize)), batch, positions);

  /** queries [B·H, Q, D/H] over keys and values [B·H, L, D/H], biased and (training) dropped out → [B, Q, D]. */
  const attend = (
    queries: Tensor3D,
    { keys, values }: AttentionKeysValues,
    bias: Tensor,
    batch: number,
    dropoutSeed: (() => number) | undefined,
  ): Tensor3D => {
    const [, queryLength] = queries.shape;
    const length = keys.shape[1];
    const scores = batchMatMul(queries, keys, { transposeB: true }); // [B·H, Q, L]
    const biased = tf.add(tf.reshape(scores, [batch, numHeads, queryLength, length]), bias) as Tensor4D; // [B, H, Q, L]
    const probabilities =
      dropoutSeed === undefined
        ? tf.softmax(biased)
        : dropout(tf.softmax(biased), attentionDropout, { training: true, seed: dropoutSeed() });
    const context = batchMatMul(tf.reshape(probabilities, [batch * numHeads, queryLength, length]), values); // [B·H, Q, D/H]
    const merged = tf.reshape(
      tf.transpose(tf.reshape(context, [batch, numHeads, queryLength, headSize]), [0, 2, 1, 3]),
      [batch * queryLength, hiddenSize],
    ); // [B·Q, D]
    return tf.reshape(output.apply(merged), [batch, queryLength, hiddenSize]); // [B, Q, D]
  };

  const checkInput = (argument: string, x: Tensor3D, positions?: number) => {
    if (x.rank !== 3 || x.shape[2] !== hiddenSize || (positions !== undefined && x.shape[1] !== positions))
      throw new ShapeMismatchError(`${argument} of ${name}`, `[B, ${positions ?? 'L'}, ${hiddenSize}]`, x.shape);
  };

  return {
    variables,
    dispose: () => disposeVariables(variables),
    apply(x, attentionBias, { training, seed, lastQueryOnly = false }) {
      checkInput('input', x);
      const [batch, length] = x.shape;
      const queryLength = lastQueryOnly ? 1 : length; // Q
      return tf.tidy(() => {
        const rows = tf.reshape(x, [batch * length, hiddenSize]) as Tensor2D; // [B·L, D]
        const queryRows = lastQueryOnly
          ? (tf.reshape(tf.slice(x, [0, length - 1, 0], [batch, 1, hiddenSize]), [batch, hiddenSize]) as Tensor2D)
          : rows; // [B·Q, D]
        const queries = scaledQueries(queryRows, batch, queryLength); // [B·H, Q, D/H]
        const keysValues = keysValuesOf(rows, batch, length);
        const bias = lastQueryOnly ? lastBiasRow(attentionBias, length) : attentionBias; // broadcastable to [B, H, Q, L]
        // Seeds are drawn only while training, so evaluation calls do not shift later training masks;
        // a call seed makes the mask a function of the call alone (resumable training).
        return attend(queries, keysValues, bias, batch, training ? () => seed ?? drawSeed(rng) : undefined);
      });
    },
    keysAndValues(x) {
      checkInput('input', x);
      const [batch, length] = x.shape;
      return tf.tidy(() => {
        return keysValuesOf(tf.reshape(x, [batch * length, hiddenSize]), batch, length); // [B·n, D] in
      });
    },
    applyLastCached(last, earlier, lastQueryBias) {
      checkInput('last', last, 1);
      const batch = last.shape[0];
      const heads = batch * numHeads;
      const positions = earlier.keys.shape[1];
      for (const [argument, tensor] of Object.entries(earlier) as [string, Tensor3D][])
        if (
          tensor.rank !== 3 ||
          tensor.shape[0] !== heads ||
          tensor.shape[1] !== positions ||
          tensor.shape[2] !== headSize
        )
          throw new ShapeMismatchError(
            `earlier.${argument}`,
            `[${heads}, ${positions ?? 'n'}, ${headSize}]`,
            tensor.shape,
          );
      return tf.tidy(() => {
        const row = tf.reshape(last, [batch, hiddenSize]) as Tensor2D; // [B, D]
        const own = keysValuesOf(row, batch, 1); // [B·H, 1, D/H] each
        const keysValues = {
          keys: tf.concat([earlier.keys, own.keys], 1) as Tensor3D, // [B·H, n + 1, D/H]
          values: tf.concat([earlier.values, own.values], 1) as Tensor3D,
        };
        return attend(scaledQueries(row, batch, 1), keysValues, lastQueryBias, batch, undefined); // [B, 1, D]
      });
    },
  };
}

/** The query row L − 1 of a bias broadcastable to [B, H, L, L] (rank 4; size-1 axes kept) → [B | 1, H | 1, 1, L]. */
function lastBiasRow(attentionBias: Tensor, length: number): Tensor {
  if (attentionBias.rank !== 4)
    throw new ShapeMismatchError('attentionBias', '[B | 1, H | 1, L | 1, L]', attentionBias.shape);
  const [batches, heads, rows, columns] = attentionBias.shape as [number, number, number, number];
  return rows === 1 ? attentionBias : tf.slice(attentionBias, [0, 0, length - 1, 0], [batches, heads, 1, columns]);
}
