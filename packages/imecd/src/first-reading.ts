/**
 * IMECD's first reading (`generator: 'separate'`, kept for comparison): each stream's causal
 * Transformer encodes the history on its own; an MLP denoiser beside the streams generates the next
 * item's fused representation from the streams' (quantized) states, fused by learned weights w:
 *
 *   f(i) = Σ_m w_m a_m(i) r_m(i) / Σ_m w_m a_m(i)         the item, over the streams it has (a_m: mask)
 *   c    = Σ_m w_m VQ_m(s_m)                               the condition, from the last states s_m
 *   x̂_0 = Diffusion(c)                                    trained on f(next item); DDIM at inference
 *
 * Loss: full-softmax CE at every scored position of [s_1 … s_M, x̂_0] against [r_1 … r_M, f]
 * (x̂_0 at each window's last position only), + λ_vq·VQ + λ_diff·MSE + λ_cl·InfoNCE. The score is
 * `scoreFusion`'s choice of the generated part, the streams' parts, or both.
 */

import { deriveSeed } from '@imecd/core';
import type { ConditionalDiffusion } from '@imecd/diffusion';
import { matMul2d, type TransformerEncoder, tableSoftmaxCrossEntropy } from '@imecd/nn';
import type { TrainingBatch } from '@imecd/recommender';
import type { ModalityQuantizers } from '@imecd/vq';
import type { Scalar, Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { historyNoise } from './history-noise';
import type { ResolvedImecdOptions, Stream } from './imecd-options';
import type { ImecdReading } from './reading';
import { scoredPositions } from './scored-positions';

/** What the first reading reads from the model it belongs to. */
export interface FirstReadingParts {
  readonly options: ResolvedImecdOptions;
  readonly encoders: readonly TransformerEncoder[];
  /** Softmax logits of the stream weights w [M]; absent with the ID stream alone (w = 1). */
  readonly fusionLogits: Tensor | undefined;
  /** MS-VQ, one codebook per stream; absent: the states themselves are fused. */
  readonly quantizers: ModalityQuantizers<Stream> | undefined;
  /** CDG; absent: the condition itself is the prediction (the `-no-cdg` ablation). */
  readonly diffusion: ConditionalDiffusion | undefined;
  /** [N + 1, M]: 1 where item i has stream m (the ID stream: every item). */
  readonly availability: Tensor2D;
  /** Seed of x_T per history. */
  readonly samplingSeed: number;
}

/** Seed streams of one training step's draws. */
const STEP = { encoder: 2, diffusion: 3 } as const;

export function createFirstReading(parts: FirstReadingParts): ImecdReading {
  const { options, encoders, fusionLogits, quantizers, diffusion, availability, samplingSeed } = parts;
  const { hiddenSize, streams } = options;

  /** Each stream's embedded histories [B, L, D] and the shared padding mask [B, L]. */
  const streamInputs = (tables: readonly Tensor2D[], inputs: Int32Array, size: number, length: number) => {
    const ids = tf.tensor1d(inputs, 'int32');
    const paddingMask = tf.cast(tf.reshape(tf.notEqual(ids, 0), [size, length]), 'float32') as Tensor2D; // [B, L]
    return tables.slice(0, encoders.length).map((table) => ({
      embedded: tf.reshape(tf.gather(table, ids), [size, length, hiddenSize]) as Tensor3D, // [B, L, D]
      paddingMask,
    }));
  };

  /** The fusion weights w [M] (softmax of the logits), or undefined for the ID stream alone. */
  const fusionWeights = (): Tensor | undefined => (fusionLogits === undefined ? undefined : tf.softmax(fusionLogits));

  /** f(i) = Σ_m w_m a_m(i) r_m(i) / Σ_m w_m a_m(i): the streams' weighted mean over the ones item i has. */
  const fuseItems = (tables: readonly Tensor2D[], weights: Tensor | undefined): Tensor2D => {
    if (weights === undefined) return tables[0]!;
    const itemWeights = tf.mul(availability, tf.reshape(weights, [1, streams.length])); // [N + 1, M]
    const normalized = tf.div(itemWeights, tf.sum(itemWeights, 1, true));
    const stacked = tf.stack([...tables], 1); // [N + 1, M, D]
    return tf.sum(tf.mul(stacked, tf.expandDims(normalized, 2)), 1) as Tensor2D; // [N + 1, D]
  };

  /** c = Σ_m w_m q_m over the streams' (quantized) states [R, D] each, and the VQ loss. */
  const fuseCondition = (states: Tensor2D[], weights: Tensor | undefined, training: boolean) => {
    let quantized = states;
    let vqLoss = tf.scalar(0);
    if (quantizers !== undefined) {
      const { outputs, loss } = quantizers.apply(
        Object.fromEntries(streams.map((stream, index) => [stream, states[index]!])),
        { training },
      );
      quantized = streams.map((stream) => outputs[stream]!.quantized as Tensor2D);
      vqLoss = loss;
    }
    if (weights === undefined) return { condition: quantized[0]!, vqLoss };
    const stacked = tf.stack(quantized, 1); // [R, M, D]
    return { condition: tf.sum(tf.mul(stacked, tf.reshape(weights, [1, streams.length, 1])), 1) as Tensor2D, vqLoss };
  };

  const loss = (tables: readonly Tensor2D[], batch: TrainingBatch, stepSeed: number): Scalar => {
    const scored = scoredPositions(batch.targets, batch.size, batch.length);
    return tf.tidy(() => {
      const flatStates = streamInputs(tables, batch.inputs, batch.size, batch.length).map(
        ({ embedded, paddingMask }, index) =>
          tf.reshape(
            encoders[index]!.apply(embedded, paddingMask, {
              training: true,
              seed: deriveSeed(stepSeed, STEP.encoder, index),
            }),
            [batch.size * batch.length, hiddenSize],
          ) as Tensor2D, // [B·L, D]
      );
      const rowsAt = (flat: Int32Array) =>
        flatStates.map((states) => tf.gather(states, tf.tensor1d(flat, 'int32')) as Tensor2D);
      const weights = fusionWeights();
      const fusedItems = fuseItems(tables, weights);
      // VQ and diffusion read only each window's last scored position (see README: cost).
      const { condition, vqLoss } = fuseCondition(rowsAt(scored.lastPositions), weights, true); // [R, D]
      let generated = condition;
      let generativeLoss: Scalar = tf.scalar(0);
      if (diffusion !== undefined) {
        const terms = diffusion.computeLoss({
          target: tf.gather(fusedItems, tf.tensor1d(scored.lastTargets, 'int32')) as Tensor2D, // x_0 = f(next item): [R, D]
          condition,
          targetIds: scored.lastTargets,
          training: true,
          seed: deriveSeed(stepSeed, STEP.diffusion),
        });
        generated = terms.predictedTarget;
        generativeLoss = tf.add(
          tf.mul(terms.reconstruction, options.lambdaDiffusion),
          tf.mul(terms.contrastive, options.lambdaContrastive),
        ) as Scalar;
      }
      // The generated vector joins the cross-entropy at the last positions: [R + 1, D] spread over the S rows, zero elsewhere.
      const spread = tf.gather(
        tf.concat([generated, tf.zeros([1, hiddenSize])], 0),
        tf.tensor1d(scored.lastIndexOfScored, 'int32'),
      ) as Tensor2D;
      const hidden = tf.concat([...rowsAt(scored.positions), spread], 1) as Tensor2D; // [S, (M + 1)·D]
      const table = tf.concat([...tables, fusedItems], 1) as Tensor2D; // [N + 1, (M + 1)·D]
      const crossEntropy = tableSoftmaxCrossEntropy(hidden, table, scored.targets);
      return tf.addN([crossEntropy, tf.mul(vqLoss, options.lambdaVq), generativeLoss]) as Scalar;
    });
  };

  const scoreTable = (tables: readonly Tensor2D[]): Tensor2D => {
    const fused = () => fuseItems(tables, fusionWeights());
    if (options.scoreFusion === 'sum') return tf.concat([...tables, fused()], 1) as Tensor2D; // [N + 1, (M + 1)·D]
    if (options.scoreFusion === 'generated') return fused(); // [N + 1, D]
    return tf.concat([...tables], 1) as Tensor2D; // [N + 1, M·D]
  };

  const scores: ImecdReading['scores'] = (tables, _scoreTable, scoreTableTransposed, histories, size, length) =>
    tf.tidy(() => {
      const lastStates = streamInputs(tables, histories, size, length).map(({ embedded, paddingMask }, index) =>
        encoders[index]!.applyLast(embedded, paddingMask, { training: false }),
      ); // [B, D] each
      if (options.scoreFusion === 'streams')
        return matMul2d(tf.concat(lastStates, 1) as Tensor2D, scoreTableTransposed); // [B, M·D] · [M·D, N + 1]
      const { condition } = fuseCondition(lastStates, fusionWeights(), false);
      // DDIM with eta 0 is deterministic given x_T, and x_T of each row is drawn from a seed of
      // its own history: a user's scores do not depend on the batch it is scored in, its position
      // there, or how far the batch is padded.
      const generated =
        diffusion === undefined
          ? condition
          : diffusion.sample(condition, {
              sampler: 'ddim',
              samplingSteps: options.samplingSteps,
              initialNoise: historyNoise(histories, size, length, hiddenSize, samplingSeed),
            });
      const hidden =
        options.scoreFusion === 'generated' ? generated : (tf.concat([...lastStates, generated], 1) as Tensor2D); // [B, D] or [B, (M + 1)·D]
      return matMul2d(hidden, scoreTableTransposed); // [B, N + 1]
    });

  return { loss, scoreTable, scores, dispose: () => {} };
}
