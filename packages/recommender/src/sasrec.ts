/**
 * SASRec (Kang & McAuley, ICDM 2018) as RecBole trains it: ID embeddings + a causal Transformer
 * encoder, scores by dot product with the same item table, and full softmax cross-entropy over
 * all items at every real position of the sequence (one causal pass scores every prefix → next
 * item pair). Cross-entropy rather than the paper's one-negative BCE by default: it is what
 * RecBole, HM4SR and UniSRec use, it is markedly stronger, and every model of this project uses the
 * same loss. `lossType: 'bce'` trains the original's objective, to compare with tables that report it.
 */

import { createRng, deriveSeed, InvalidArgumentError } from '@imecd/core';
import {
  createNamedVariable,
  createTransformerEncoder,
  matMul2d,
  type SequenceEncoderSettings,
  sampledTableSoftmaxCrossEntropy,
  type TransformerEncoderOptions,
  tableBinaryCrossEntropy,
  tableSoftmaxCrossEntropy,
} from '@imecd/nn';
import * as tf from '@tensorflow/tfjs-core';
import type { RecommenderModel } from './model-contract';
import type { TrainingBatch } from './training-batches';

/** SASRec's hyperparameters: the encoder settings of @imecd/nn (same meaning and defaults) and these. */
export interface SasrecOptions extends SequenceEncoderSettings {
  /** Number of items (ids 1..numItems). Required. */
  numItems: number;
  /** Seed of the initial weights. Default 1. */
  seed?: number;
  /** Scope of variable names. Default 'sasrec'. */
  name?: string;
  /**
   * 0 (default): full softmax over every item, the loss every model of the project uses. K > 0:
   * sampled softmax while training, the target against K items drawn uniformly per step (shared by
   * the batch): less work per step on large catalogues, a different (approximate) objective.
   * Evaluation always ranks all items.
   */
  negativeSamples?: number;
  /**
   * 'ce' (default): softmax cross-entropy, full or sampled (`negativeSamples`). 'bce': the original
   * SASRec's binary cross-entropy, the target against one negative per scored position, drawn
   * uniformly from the items not in that row's sequence (the original excludes the user's training
   * items; a row holds the last maxLength + 1 of them). Needs `negativeSamples` 0 and 2+ items.
   */
  lossType?: SasrecLossType;
}

/** SASRec's training objectives: softmax cross-entropy, or the original one-negative BCE. */
export type SasrecLossType = 'ce' | 'bce';

/** Stream id of a step's negative draws (apart from its dropout masks, which use the step seed itself). */
const NEGATIVE_DRAWS = 0x6e6567;

/**
 * One negative per scored position (flat index into the [B, L] batch): uniform over 1..N, redrawn
 * while it is an item of the position's row (its inputs or targets). A row that holds every item
 * (tiny catalogues) takes any item other than the position's target.
 */
export function drawOutsideRows(
  batch: TrainingBatch,
  scoredPositions: readonly number[],
  numItems: number,
  draws: ReturnType<typeof createRng>,
): Int32Array {
  const rowItems = new Map<number, Set<number>>();
  const itemsOf = (row: number) => {
    let items = rowItems.get(row);
    if (items === undefined) {
      const start = row * batch.length;
      items = new Set([
        ...batch.inputs.subarray(start, start + batch.length),
        ...batch.targets.subarray(start, start + batch.length),
      ]);
      items.delete(0);
      rowItems.set(row, items);
    }
    return items;
  };
  return Int32Array.from(scoredPositions, (position) => {
    const items = itemsOf(Math.floor(position / batch.length));
    const target = batch.targets[position]!;
    const allowed = items.size < numItems ? (id: number) => !items.has(id) : (id: number) => id !== target;
    let id = 1 + draws.nextInt(numItems);
    while (!allowed(id)) id = 1 + draws.nextInt(numItems);
    return id;
  });
}

/** A SASRec model that follows the RecommenderModel contract. */
export function createSasrec(options: SasrecOptions): RecommenderModel {
  const {
    numItems,
    hiddenSize = 64,
    numLayers = 2,
    numHeads = 2,
    innerSize = 256,
    dropout: hiddenDropout = 0.5,
    attentionDropout = 0.5,
    maxLength = 50,
    seed = 1,
    name = 'sasrec',
    negativeSamples = 0,
    lossType = 'ce',
  } = options;
  if (!Number.isInteger(numItems) || numItems < 1)
    throw new InvalidArgumentError('numItems', `expected a positive integer, got ${numItems}`);
  if (!Number.isInteger(negativeSamples) || negativeSamples < 0) {
    throw new InvalidArgumentError(
      'negativeSamples',
      `expected 0 (full softmax) or a positive integer, got ${negativeSamples}`,
    );
  }
  if (lossType !== 'ce' && lossType !== 'bce')
    throw new InvalidArgumentError('lossType', `expected 'ce' or 'bce', got ${String(lossType)}`);
  if (lossType === 'bce' && negativeSamples > 0)
    throw new InvalidArgumentError('negativeSamples', `must be 0 with lossType 'bce' (one negative per position)`);
  if (lossType === 'bce' && numItems < 2)
    throw new InvalidArgumentError('numItems', `lossType 'bce' needs 2 or more items to draw negatives from`);
  // The encoder settings, in the order both the saved config and the encoder options list them.
  const encoderSettings = {
    hiddenSize,
    numLayers,
    numHeads,
    innerSize,
    dropout: hiddenDropout,
    attentionDropout,
    maxLength,
  } satisfies SequenceEncoderSettings;
  const config = {
    numItems,
    ...encoderSettings,
    seed,
    ...(negativeSamples > 0 ? { negativeSamples } : {}),
    ...(lossType !== 'ce' ? { lossType } : {}),
  };

  // RecBole initialises embeddings N(0, 0.02²).
  const rng = createRng(seed);
  const table = new Float32Array((numItems + 1) * hiddenSize);
  for (let i = hiddenSize; i < table.length; i++) table[i] = 0.02 * rng.normal();
  // [numItems + 1, hiddenSize]
  const itemEmbedding = createNamedVariable(
    `${name}/item_embedding`,
    [numItems + 1, hiddenSize],
    table,
  ) as tf.Variable<tf.Rank.R2>;
  const encoderOptions: TransformerEncoderOptions = {
    ...encoderSettings,
    seed: seed + 1,
    name: `${name}/encoder`,
  };
  const encoder = createTransformerEncoder(encoderOptions);

  /** [B, L] ids → the item embeddings [B, L, D] and the padding mask [B, L]. */
  const embed = (inputs: Int32Array, size: number, length: number) => {
    const ids = tf.tensor2d(inputs, [size, length], 'int32');
    const paddingMask = tf.cast(tf.notEqual(ids, 0), 'float32') as tf.Tensor2D; // [B, L]
    const embedded = tf.reshape(tf.gather(itemEmbedding, tf.reshape(ids, [-1])), [
      size,
      length,
      hiddenSize,
    ]) as tf.Tensor3D;
    return { embedded, paddingMask };
  };
  /** [B, L] ids → [B, L, D] states. */
  const encode = (inputs: Int32Array, size: number, length: number, training: boolean, dropoutSeed?: number) => {
    const { embedded, paddingMask } = embed(inputs, size, length);
    return encoder.apply(embedded, paddingMask, {
      training,
      ...(dropoutSeed === undefined ? {} : { seed: dropoutSeed }),
    });
  };

  /** [B, L] histories → [B, N + 1] scores against `itemsTransposed` [D, N + 1]. */
  const scoreWith = (
    itemsTransposed: tf.Tensor2D,
    histories: Int32Array,
    size: number,
    length: number,
  ): tf.Tensor2D => {
    const { embedded, paddingMask } = embed(histories, size, length);
    const last = encoder.applyLast(embedded, paddingMask, { training: false }); // [B, D]: only the last state is scored
    return matMul2d(last, itemsTransposed); // [B, N + 1]
  };

  return {
    name: 'sasrec',
    numItems,
    splittableLoss: true,
    maxLength,
    variables: [itemEmbedding, ...encoder.variables],
    config,
    loss(batch: TrainingBatch, { seed: stepSeed }) {
      return tf.tidy(() => {
        const states = encode(batch.inputs, batch.size, batch.length, true, stepSeed); // [B, L, D]
        // Only real (prefix → next) pairs are scored: most positions are padding.
        const scoredPositions: number[] = [];
        const scoredTargets: number[] = [];
        batch.targets.forEach((target, position) => {
          if (target !== 0) {
            scoredPositions.push(position);
            scoredTargets.push(target);
          }
        });
        const flat = tf.reshape(states, [batch.size * batch.length, hiddenSize]); // [B·L, D]
        const hidden = tf.gather(flat, tf.tensor1d(scoredPositions, 'int32')) as tf.Tensor2D; // [S, D]
        if (lossType === 'ce' && negativeSamples === 0)
          return tableSoftmaxCrossEntropy(hidden, itemEmbedding, Int32Array.from(scoredTargets)); // over items 1..N
        const draws = createRng(deriveSeed(stepSeed, NEGATIVE_DRAWS));
        if (lossType === 'bce') {
          const negatives = drawOutsideRows(batch, scoredPositions, numItems, draws);
          return tableBinaryCrossEntropy(hidden, itemEmbedding, Int32Array.from(scoredTargets), negatives);
        }
        const negatives = Int32Array.from({ length: negativeSamples }, () => 1 + draws.nextInt(numItems)); // uniform over 1..N
        return sampledTableSoftmaxCrossEntropy(hidden, itemEmbedding, Int32Array.from(scoredTargets), negatives);
      });
    },
    scoreAll(histories, size, length) {
      return tf.tidy(() => scoreWith(tf.transpose(itemEmbedding) as tf.Tensor2D, histories, size, length));
    },
    createScorer() {
      // One transposed table for the whole pass: wasm's matmul also packs it only once.
      const itemsTransposed = tf.transpose(itemEmbedding) as tf.Tensor2D; // [D, N + 1]
      return {
        scoreAll: (histories, size, length) => tf.tidy(() => scoreWith(itemsTransposed, histories, size, length)),
        dispose: () => itemsTransposed.dispose(),
      };
    },
    dispose() {
      itemEmbedding.dispose();
      encoder.dispose();
    },
  };
}
