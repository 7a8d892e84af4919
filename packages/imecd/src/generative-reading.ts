/**
 * IMECD's generative reading (the default, `generator: 'approximator'`): each stream's causal
 * Transformer is the diffusion's approximator, as in DiffuRec, and the generated representation
 * is the score. Per stream m and position p of a window (one causal pass scores every position):
 *
 *   ḡ_{m,p}  = mean of r_m(i_q) over the real q ≤ p            the history's profile in stream m
 *   token_{m,p} = (1 − γ)·r_m(i_p) + γ·VQ_m(ḡ_{m,p}) + λ·(x_{t,m,p} + τ_m(t_p))
 *   x_{t,p}  = √ᾱ_t·[r_m(i_{p+1})]_m + √(1 − ᾱ_t)·ε,  one t_p per position, shared by the streams
 *   x̂_{0,m,p} = Encoder_m(token_m)_p
 *   score_p(i) = Σ_m x̂_{0,m,p} · r_m(i)      (streamGate 'id-state': Σ_m w_{m,p} · x̂_{0,m,p} · r_m(i), stream-gate.ts)
 *
 * Loss: full-softmax CE of score_p at every scored position, + λ_vq·VQ + λ_cl·InfoNCE among the
 * batch's generations (each window's last position; negatives are the other windows' generations,
 * DiQDiff's term against generation bias). At inference the last position's x_t runs the DDIM
 * reverse process from x_T (seeded by the history); earlier positions carry their known next item,
 * noised with draws fixed per distance from the end, as in training.
 */

import { createRng, deriveSeed } from '@imecd/core';
import { addNoise, contrastiveLoss, type SequenceDiffusion } from '@imecd/diffusion';
import { matMul2d, type TransformerEncoder, tableSoftmaxCrossEntropy } from '@imecd/nn';
import type { TrainingBatch } from '@imecd/recommender';
import type { ModalityQuantizers } from '@imecd/vq';
import type { Scalar, Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { historyNoise } from './history-noise';
import type { ResolvedImecdOptions, Stream } from './imecd-options';
import type { ImecdReading } from './reading';
import { scoredPositions } from './scored-positions';
import { gateStreams } from './stream-gate';

/** What the generative reading reads from the model it belongs to. */
export interface GenerativeReadingParts {
  readonly options: ResolvedImecdOptions;
  readonly encoders: readonly TransformerEncoder[];
  /** MS-VQ, one codebook per stream; absent: no code guidance (γ is ignored). */
  readonly quantizers: ModalityQuantizers<Stream> | undefined;
  /** CDG; absent: the same network trained without noise (the `-no-cdg` ablation). */
  readonly generator: SequenceDiffusion | undefined;
  /** G of the ID-state stream gate (stream-gate.ts); absent: the score is the plain sum over streams. */
  readonly streamGate?: Tensor2D | undefined;
  /** Seed of x_T per history and of the context draws. */
  readonly samplingSeed: number;
}

/** Seed streams of one training step's draws (kept apart from the first reading's). */
const STEP = { encoder: 2, noise: 4 } as const;

/** `rows` [R, W] placed at the flat positions `at` (R of them) of a [count, W] matrix that is zero elsewhere. */
function spreadRows(rows: Tensor2D, at: Int32Array, count: number): Tensor2D {
  const slotOf = new Int32Array(count).fill(at.length); // flat → its row among `rows`, or the appended zero row
  at.forEach((flat, slot) => {
    slotOf[flat] = slot;
  });
  return tf.gather(tf.concat([rows, tf.zeros([1, rows.shape[1]])], 0), tf.tensor1d(slotOf, 'int32')) as Tensor2D;
}

export function createGenerativeReading(parts: GenerativeReadingParts): ImecdReading {
  const { options, encoders, quantizers, generator, streamGate, samplingSeed } = parts;
  const { hiddenSize, streams, maxLength } = options;
  const joint = streams.length * hiddenSize; // width of the generated representation, concat over streams
  const historyWeight = quantizers === undefined ? 1 : 1 - options.guidanceWeight;

  // The context draws at inference: one step and one ε per distance from the window's end.
  const contextRng = createRng(deriveSeed(samplingSeed, 1));
  const contextSteps = Int32Array.from({ length: maxLength }, () =>
    contextRng.nextInt(generator?.schedule.numSteps ?? 1),
  );
  const contextNoise = tf.tensor2d(
    Float32Array.from({ length: maxLength * joint }, () => contextRng.normal()),
    [maxLength, joint],
  );

  /** Each stream's tokens [B, L, D] before the noisy input: (1 − γ)·r_m(i_p) + γ·VQ_m(ḡ_{m,p}), and the VQ loss. */
  const guidedTokens = (
    tables: readonly Tensor2D[],
    items: Int32Array,
    ids: Tensor,
    paddingMask: Tensor2D,
    size: number,
    length: number,
    training: boolean,
  ) => {
    const embedded = streams.map(
      (_, index) => tf.reshape(tf.gather(tables[index]!, ids), [size, length, hiddenSize]) as Tensor3D,
    ); // [B, L, D]
    if (quantizers === undefined) return { tokens: embedded, vqLoss: tf.scalar(0) };
    const real = Int32Array.from(Array.from(items.keys()).filter((flat) => items[flat] !== 0)); // flat indices of real items
    const realIndex = tf.tensor1d(real, 'int32');
    // Prefix sums as products with the lower-triangular ones (tfjs's cumsum gradient breaks off the last axis).
    const lower = tf.tensor2d(
      Float32Array.from({ length: length * length }, (_, flat) => (flat % length <= Math.floor(flat / length) ? 1 : 0)),
      [length, length],
    ); // [L, L]: 1 where q ≤ p
    const counts = tf.maximum(matMul2d(paddingMask, tf.transpose(lower)), 1); // [B, L]: real items up to p
    const profiles = embedded.map((tokens) => {
      const masked = tf.mul(tokens, tf.expandDims(paddingMask, 2)); // [B, L, D]
      const byPosition = tf.reshape(tf.transpose(masked, [1, 0, 2]), [length, size * hiddenSize]) as Tensor2D; // [L, B·D]
      const sums = tf.transpose(tf.reshape(matMul2d(lower, byPosition), [length, size, hiddenSize]), [1, 0, 2]); // [B, L, D]: Σ_{q ≤ p} over real q
      return tf.gather(
        tf.reshape(tf.div(sums, tf.expandDims(counts, 2)), [size * length, hiddenSize]),
        realIndex,
      ) as Tensor2D; // [R, D]
    });
    const { outputs, loss } = quantizers.apply(
      Object.fromEntries(streams.map((stream, index) => [stream, profiles[index]!])),
      { training },
    );
    const tokens = streams.map((stream, index) => {
      const codes = spreadRows(outputs[stream]!.quantized as Tensor2D, real, size * length); // [B·L, D], zero at padding
      return tf.add(
        tf.mul(embedded[index]!, historyWeight),
        tf.mul(tf.reshape(codes, [size, length, hiddenSize]), options.guidanceWeight),
      ) as Tensor3D;
    });
    return { tokens, vqLoss: loss };
  };

  /** [B·L, M·D] → one [B, L, D] slice per stream. */
  const perStream = (rows: Tensor2D, size: number, length: number): Tensor3D[] =>
    streams.map(
      (_, index) =>
        tf.reshape(tf.slice(rows, [0, index * hiddenSize], [size * length, hiddenSize]), [
          size,
          length,
          hiddenSize,
        ]) as Tensor3D,
    );

  const loss = (tables: readonly Tensor2D[], batch: TrainingBatch, stepSeed: number): Scalar =>
    tf.tidy(() => {
      const { size, length } = batch;
      const scored = scoredPositions(batch.targets, size, length);
      const ids = tf.tensor1d(batch.inputs, 'int32');
      const paddingMask = tf.cast(tf.reshape(tf.notEqual(ids, 0), [size, length]), 'float32') as Tensor2D; // [B, L]
      const { tokens, vqLoss } = guidedTokens(tables, batch.inputs, ids, paddingMask, size, length, true);
      const itemTable = tf.concat([...tables], 1) as Tensor2D; // [N + 1, M·D]
      let inputs = tokens;
      if (generator !== undefined) {
        const target = tf.gather(itemTable, tf.tensor1d(scored.targets, 'int32')) as Tensor2D; // x_0 [S, M·D]
        const { input } = generator.noisyInput(target, { seed: deriveSeed(stepSeed, STEP.noise) }); // [S, M·D]
        const spread = spreadRows(input, scored.positions, size * length); // [B·L, M·D], zero where not scored
        inputs = perStream(spread, size, length).map((noisy, index) => tf.add(tokens[index]!, noisy) as Tensor3D);
      }
      const positions = tf.tensor1d(scored.positions, 'int32');
      const generated = tf.concat(
        inputs.map((streamInputs, index) => {
          const states = encoders[index]!.apply(streamInputs, paddingMask, {
            training: true,
            seed: deriveSeed(stepSeed, STEP.encoder, index),
          });
          return tf.gather(tf.reshape(states, [size * length, hiddenSize]), positions); // x̂_0,m [S, D]
        }),
        1,
      ) as Tensor2D; // [S, M·D]
      const crossEntropy = tableSoftmaxCrossEntropy(scoring(generated), itemTable, scored.targets);
      let total = tf.add(crossEntropy, tf.mul(vqLoss, options.lambdaVq));
      if (options.contrastive && options.lambdaContrastive > 0 && scored.lastPositions.length > 1) {
        const slotOfScored = new Map(Array.from(scored.positions, (flat, slot) => [flat, slot]));
        const lastRows = tf.gather(
          generated,
          tf.tensor1d(
            Int32Array.from(scored.lastPositions, (flat) => slotOfScored.get(flat)!),
            'int32',
          ),
        ) as Tensor2D; // [R, M·D]
        const lastTargets = tf.gather(itemTable, tf.tensor1d(scored.lastTargets, 'int32')) as Tensor2D; // [R, M·D]
        const contrastive = contrastiveLoss(lastRows, lastTargets, {
          negatives: 'predictions',
          temperature: options.contrastiveTemperature,
          targetIds: scored.lastTargets,
        });
        total = tf.add(total, tf.mul(contrastive, options.lambdaContrastive));
      }
      return total as Scalar;
    });

  const scores = (
    tables: readonly Tensor2D[],
    itemTable: Tensor2D,
    tableTransposed: Tensor2D,
    histories: Int32Array,
    size: number,
    length: number,
  ): Tensor2D =>
    tf.tidy(() => {
      const ids = tf.tensor1d(histories, 'int32');
      const paddingMask = tf.cast(tf.reshape(tf.notEqual(ids, 0), [size, length]), 'float32') as Tensor2D; // [B, L]
      const { tokens } = guidedTokens(tables, histories, ids, paddingMask, size, length, false);
      if (generator === undefined) {
        const generated = tf.concat(
          tokens.map((streamTokens, index) =>
            encoders[index]!.applyLast(streamTokens, paddingMask, { training: false }),
          ),
          1,
        ) as Tensor2D;
        return matMul2d(keepScoredStreams(scoring(generated)), tableTransposed); // [B, M·D] · [M·D, N + 1]
      }
      const withContext = addContext(itemTable, tokens, histories, paddingMask, size, length);
      // Causal attention keeps positions before L − 1 independent of x_t: one pass for them, then each
      // reverse step recomputes only the last position (encoder.prefix / applyLastWithPrefix).
      const prefixes = withContext.map((streamTokens, index) => encoders[index]!.prefix(streamTokens, paddingMask));
      const lastTokens = withContext.map(
        (streamTokens) =>
          tf.reshape(tf.slice(streamTokens, [0, length - 1, 0], [size, 1, hiddenSize]), [size, hiddenSize]) as Tensor2D,
      ); // [B, D]
      const approximate = (input: Tensor2D): Tensor2D =>
        tf.concat(
          prefixes.map((prefix, index) =>
            encoders[index]!.applyLastWithPrefix(
              prefix,
              tf.add(lastTokens[index]!, tf.slice(input, [0, index * hiddenSize], [size, hiddenSize])) as Tensor2D,
            ),
          ),
          1,
        ) as Tensor2D; // x̂_0 [B, M·D]
      const initialNoise = historyNoise(histories, size, length, joint, samplingSeed);
      const generated = generator.sample(approximate, initialNoise, { samplingSteps: options.samplingSteps });
      return matMul2d(keepScoredStreams(scoring(generated)), tableTransposed);
    });

  /** The generation as it meets the item table: each stream's part weighted by the gate, where there is one. */
  const scoring = (generated: Tensor2D): Tensor2D =>
    streamGate === undefined ? generated : gateStreams(generated, streamGate, hiddenSize);

  /** The generation with every stream but `scoreStreams` zeroed, so the score is that stream's term alone (all kept by default). */
  const keepScoredStreams = (generated: Tensor2D): Tensor2D => {
    if (options.scoreStreams === 'all') return generated;
    const kept = streams.indexOf(options.scoreStreams);
    const mask = Float32Array.from({ length: streams.length * hiddenSize }, (_, column) =>
      Math.floor(column / hiddenSize) === kept ? 1 : 0,
    );
    return tf.mul(generated, tf.tensor1d(mask)) as Tensor2D; // [B, M·D]
  };

  /** Tokens plus, at every real position before the last, λ·(x_t + τ(t)) of its known next item. */
  const addContext = (
    itemTable: Tensor2D,
    tokens: Tensor3D[],
    histories: Int32Array,
    paddingMask: Tensor2D,
    size: number,
    length: number,
  ): Tensor3D[] => {
    if (length === 1) return tokens;
    const nextIds = new Int32Array(size * length);
    for (let row = 0; row < size; row++)
      nextIds.set(histories.subarray(row * length + 1, (row + 1) * length), row * length); // i_{q+1} at q; 0 at L − 1
    const nextItems = tf.gather(itemTable, tf.tensor1d(nextIds, 'int32')) as Tensor2D; // x_0 [B·L, M·D]
    // Row b·L + q takes the step and ε drawn for distance L − 1 − q from the end.
    const rowSteps = Int32Array.from(
      { length: size * length },
      (_, flat) => contextSteps[length - 1 - (flat % length)]!,
    );
    const noise = tf.tile(tf.reverse(tf.slice(contextNoise, [0, 0], [length, joint]), 0), [size, 1]) as Tensor2D; // [B·L, M·D]
    const embedded = generator!.embed(addNoise(generator!.schedule, nextItems, noise, rowSteps), rowSteps); // λ·(x_t + τ(t)) [B·L, M·D]
    const keep = tf.mul(paddingMask, tf.concat([tf.ones([1, length - 1]), tf.zeros([1, 1])], 1)); // real and before the last
    const kept = tf.mul(embedded, tf.reshape(keep, [size * length, 1])) as Tensor2D;
    return perStream(kept, size, length).map((context, index) => tf.add(tokens[index]!, context) as Tensor3D);
  };

  // The generation scores every stream's table: [N + 1, M·D].
  const scoreTable = (tables: readonly Tensor2D[]) => tf.concat([...tables], 1) as Tensor2D;

  return { loss, scoreTable, scores, dispose: () => contextNoise.dispose() };
}
