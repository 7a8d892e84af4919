/**
 * IMECD as one RecommenderModel: ID-guided modality experts on the item side, one causal
 * Transformer per stream on the sequence side, and a conditional diffusion that generates the next
 * item's representation. Two readings share the item side and the encoders: the generative one
 * (default; generative-reading.ts), where the stream encoders are the diffusion's approximator and
 * the generation is the score, and the first one (`generator: 'separate'`, below), where an MLP
 * denoiser beside the streams generates from their fused VQ states. The equations, and every
 * choice the paper leaves open, are in README.md.
 */

import { createRng, deriveSeed } from '@imecd/core';
import {
  type ConditionalDiffusion,
  createConditionalDiffusion,
  createSequenceDiffusion,
  type SequenceDiffusion,
} from '@imecd/diffusion';
import {
  createChildModules,
  createTransformerEncoder,
  createVariableModule,
  type Module,
  matMul2d,
  type TransformerEncoder,
  tableSoftmaxCrossEntropy,
} from '@imecd/nn';
import type { RecommenderModel, TrainingBatch } from '@imecd/recommender';
import { createModalityQuantizers, type ModalityQuantizers } from '@imecd/vq';
import type { Rank, Scalar, Tensor, Tensor2D, Tensor3D, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { createGenerativeReading } from './generative-reading';
import { historyNoise } from './history-noise';
import {
  type FeatureModality,
  type ImecdOptions,
  type ResolvedImecdOptions,
  resolveImecdOptions,
  type Stream,
} from './imecd-options';
import { createModalityProjection, type ModalityProjection } from './modality-projection';
import { scoredPositions } from './scored-positions';

/** An IMECD model: the RecommenderModel contract plus its resolved options. */
export interface ImecdModel extends RecommenderModel {
  readonly options: ResolvedImecdOptions;
}

/** Seed streams of the parts, fixed per part so an ablation that drops one part leaves the others' initial weights unchanged. */
const PART = { idEmbedding: 1, projection: 2, encoder: 3, quantizers: 4, diffusion: 5, sampling: 6 } as const;
/** Seed streams of one training step's random draws. */
const STEP = { projection: 1, encoder: 2, diffusion: 3 } as const;

/** Builds IMECD (or, through its switches, one of its ablations or the fusion baseline). */
export function createImecd(options: ImecdOptions): ImecdModel {
  const resolved = resolveImecdOptions(options);
  const { numItems, hiddenSize, streams, name, seed } = resolved;
  const generative = resolved.generator === 'approximator';
  const modalities = streams.filter((stream): stream is FeatureModality => stream !== 'id');
  const features = options.features ?? {};
  const rows = numItems + 1;

  // RecBole initialises ID embeddings N(0, 0.02²); row 0 (padding) starts at zero.
  const embeddingRng = createRng(deriveSeed(seed, PART.idEmbedding));
  const idTable = new Float32Array(rows * hiddenSize);
  for (let index = hiddenSize; index < idTable.length; index++) idTable[index] = 0.02 * embeddingRng.normal();

  const parts = createChildModules<Record<string, Module>>({
    idEmbedding: () => createVariableModule(`${name}/item_embedding`, [rows, hiddenSize], idTable),
    // Softmax logits of the stream weights of the fusion; zeros = the plain mean. One stream needs none.
    ...(streams.length > 1 &&
      !generative && {
        fusion: () => createVariableModule(`${name}/fusion_logits`, [streams.length], new Float32Array(streams.length)),
      }),
    ...Object.fromEntries(
      modalities.map((modality, index) => [
        `projection_${modality}`,
        () =>
          createModalityProjection({
            features: features[modality]!,
            outputSize: hiddenSize,
            kind: resolved.moe,
            scaling: resolved.featureScaling,
            numExperts: resolved.numExperts,
            name: `${name}/${modality}`,
            seed: deriveSeed(seed, PART.projection, index),
          }),
      ]),
    ),
    ...Object.fromEntries(
      streams.map((stream, index) => [
        `encoder_${stream}`,
        () =>
          createTransformerEncoder({
            hiddenSize,
            numLayers: resolved.numLayers,
            numHeads: resolved.numHeads,
            innerSize: resolved.innerSize,
            dropout: resolved.dropout,
            attentionDropout: resolved.attentionDropout,
            maxLength: resolved.maxLength,
            seed: deriveSeed(seed, PART.encoder, index),
            name: `${name}/encoder_${stream}`,
          }),
      ]),
    ),
    ...(resolved.vq && {
      quantizers: () =>
        createModalityQuantizers<Stream>({
          modalities: Object.fromEntries(streams.map((stream) => [stream, {}])) as Record<Stream, object>,
          defaults: { inputSize: hiddenSize, codebookSize: resolved.codebookSize },
          name: `${name}/vq`,
          seed: deriveSeed(seed, PART.quantizers),
        }),
    }),
    ...(resolved.diffusion &&
      generative && {
        generator: () =>
          createSequenceDiffusion({
            dataSize: streams.length * hiddenSize,
            schedule: { kind: 'truncated-linear', numSteps: resolved.diffusionSteps },
            noiseScale: resolved.noiseScale,
            name: `${name}/generator`,
            seed: deriveSeed(seed, PART.diffusion),
          }),
      }),
    ...(resolved.diffusion &&
      !generative && {
        diffusion: () =>
          createConditionalDiffusion({
            dataSize: hiddenSize,
            conditionSize: hiddenSize,
            schedule: { kind: 'truncated-linear', numSteps: resolved.diffusionSteps },
            // The λ weights are applied here, to the separate terms; 1 only switches the InfoNCE term on.
            reconstructionWeight: 1,
            contrastiveWeight: resolved.contrastive ? 1 : 0,
            name: `${name}/diffusion`,
            seed: deriveSeed(seed, PART.diffusion),
          }),
      }),
  });
  const idEmbedding = parts.idEmbedding!.variables[0] as Variable<Rank.R2>;
  const fusionLogits = parts.fusion?.variables[0];
  const projections = modalities.map((modality) => parts[`projection_${modality}`] as ModalityProjection);
  const encoders = streams.map((stream) => parts[`encoder_${stream}`] as TransformerEncoder);
  const quantizers = parts.quantizers as ModalityQuantizers<Stream> | undefined;
  const diffusion = parts.diffusion as ConditionalDiffusion | undefined;
  const variables = Object.values(parts).flatMap((part) => [...part.variables]);
  const samplingSeed = deriveSeed(seed, PART.sampling);
  const reading = generative
    ? createGenerativeReading({
        options: resolved,
        encoders,
        quantizers,
        generator: parts.generator as SequenceDiffusion | undefined,
        samplingSeed,
      })
    : undefined;

  // [N + 1, M]: 1 where item i has stream m (the ID stream: every item), for the fused item representation.
  const availability = tf.tensor2d(
    Float32Array.from({ length: rows * streams.length }, (_, flat) => {
      const stream = streams[flat % streams.length]!;
      return stream === 'id' ? 1 : features[stream]!.mask[Math.floor(flat / streams.length)]!;
    }),
    [rows, streams.length],
  );

  /** Each stream's item table r_m [N + 1, D] (e_id first) and the experts' balance loss. */
  const itemTables = (training: boolean, stepSeed?: number): { tables: Tensor2D[]; balanceLoss: Scalar } => {
    const projected = projections.map((projection, index) =>
      projection.apply(idEmbedding, {
        training,
        ...(stepSeed === undefined ? {} : { seed: deriveSeed(stepSeed, STEP.projection, index) }),
      }),
    );
    return {
      tables: [idEmbedding, ...projected.map((entry) => entry.representations)],
      balanceLoss:
        projected.length === 0 ? tf.scalar(0) : (tf.addN(projected.map((entry) => entry.balanceLoss)) as Scalar),
    };
  };

  /** Each stream's states [B, L, D] over the histories' rows of that stream's item table. */
  const encodeStreams = (
    tables: Tensor2D[],
    inputs: Int32Array,
    size: number,
    length: number,
    training: boolean,
    stepSeed?: number,
  ): Tensor3D[] =>
    streamInputs(tables, inputs, size, length).map(({ embedded, paddingMask }, index) =>
      encoders[index]!.apply(embedded, paddingMask, {
        training,
        ...(stepSeed === undefined ? {} : { seed: deriveSeed(stepSeed, STEP.encoder, index) }),
      }),
    );

  /** Each stream's state at the last position [B, D], for scoring (the encoders skip what only other positions need). */
  const lastStreamStates = (tables: Tensor2D[], inputs: Int32Array, size: number, length: number): Tensor2D[] =>
    streamInputs(tables, inputs, size, length).map(({ embedded, paddingMask }, index) =>
      encoders[index]!.applyLast(embedded, paddingMask, { training: false }),
    );

  /** Each stream's embedded histories [B, L, D] and the shared padding mask [B, L]. */
  const streamInputs = (
    tables: Tensor2D[],
    inputs: Int32Array,
    size: number,
    length: number,
  ): { embedded: Tensor3D; paddingMask: Tensor2D }[] => {
    const ids = tf.tensor1d(inputs, 'int32');
    const paddingMask = tf.cast(tf.reshape(tf.notEqual(ids, 0), [size, length]), 'float32') as Tensor2D; // [B, L]
    return tables.slice(0, encoders.length).map((table) => ({
      embedded: tf.reshape(tf.gather(table, ids), [size, length, hiddenSize]) as Tensor3D,
      paddingMask,
    })); // [B, L, D]
  };

  /** The fusion weights w [M] (softmax of the logits), or undefined for the ID stream alone. */
  const fusionWeights = (): Tensor | undefined => (fusionLogits === undefined ? undefined : tf.softmax(fusionLogits));

  /** f(i) = Σ_m w_m a_m(i) r_m(i) / Σ_m w_m a_m(i): the streams' weighted mean over the ones item i has. */
  const fuseItems = (tables: Tensor2D[], weights: Tensor | undefined): Tensor2D => {
    if (weights === undefined) return tables[0]!;
    const itemWeights = tf.mul(availability, tf.reshape(weights, [1, streams.length])); // [N + 1, M]
    const normalized = tf.div(itemWeights, tf.sum(itemWeights, 1, true));
    const stacked = tf.stack(tables, 1); // [N + 1, M, D]
    return tf.sum(tf.mul(stacked, tf.expandDims(normalized, 2)), 1) as Tensor2D; // [N + 1, D]
  };

  /** c = Σ_m w_m q_m over the streams' (quantized) states [R, D] each, and the VQ loss. */
  const fuseCondition = (
    states: Tensor2D[],
    weights: Tensor | undefined,
    training: boolean,
  ): { condition: Tensor2D; vqLoss: Scalar } => {
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

  const lossOf = (batch: TrainingBatch, stepSeed: number): Scalar => {
    if (reading !== undefined) {
      return tf.tidy(() => {
        const { tables, balanceLoss } = itemTables(true, stepSeed);
        return tf.add(reading.loss(tables, batch, stepSeed), tf.mul(balanceLoss, resolved.lambdaBalance)) as Scalar;
      });
    }
    const scored = scoredPositions(batch.targets, batch.size, batch.length);
    return tf.tidy(() => {
      const { tables, balanceLoss } = itemTables(true, stepSeed);
      const flatStates = encodeStreams(tables, batch.inputs, batch.size, batch.length, true, stepSeed).map(
        (states) => tf.reshape(states, [batch.size * batch.length, hiddenSize]) as Tensor2D, // [B·L, D]
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
          tf.mul(terms.reconstruction, resolved.lambdaDiffusion),
          tf.mul(terms.contrastive, resolved.lambdaContrastive),
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
      return tf.addN([
        crossEntropy,
        tf.mul(vqLoss, resolved.lambdaVq),
        generativeLoss,
        tf.mul(balanceLoss, resolved.lambdaBalance),
      ]) as Scalar;
    });
  };

  /** The item side of scoring, from the current weights: what every batch of an evaluation pass shares. */
  const itemSide = () =>
    tf.tidy(() => {
      const { tables } = itemTables(false); // the experts run over all N + 1 items: the costly part
      const weights = fusionWeights();
      const scoreTable =
        reading !== undefined
          ? (tf.concat(tables, 1) as Tensor2D) // [N + 1, M·D]
          : ({
              sum: () => tf.concat([...tables, fuseItems(tables, weights)], 1),
              generated: () => fuseItems(tables, weights),
              streams: () => tf.concat(tables, 1),
            }[resolved.scoreFusion]() as Tensor2D); // [N + 1, (M + 1)·D], [N + 1, D] or [N + 1, M·D]
      return { tables, weights, scoreTable, scoreTableTransposed: tf.transpose(scoreTable) as Tensor2D };
    });
  type ItemSide = ReturnType<typeof itemSide>;

  const scoresOf = (histories: Int32Array, size: number, length: number): Tensor2D =>
    tf.tidy(() => scoresWith(itemSide(), histories, size, length));

  const scoresWith = (
    { tables, weights, scoreTable, scoreTableTransposed }: ItemSide,
    histories: Int32Array,
    size: number,
    length: number,
  ): Tensor2D =>
    tf.tidy(() => {
      if (reading !== undefined)
        return reading.scores(tables, scoreTable, scoreTableTransposed, histories, size, length);
      const lastStates = lastStreamStates(tables, histories, size, length); // [B, D] each
      if (resolved.scoreFusion === 'streams')
        return matMul2d(tf.concat(lastStates, 1) as Tensor2D, scoreTableTransposed); // [B, M·D] · [M·D, N + 1]
      const { condition } = fuseCondition(lastStates, weights, false);
      // DDIM with eta 0 is deterministic given x_T, and x_T of each row is drawn from a seed of
      // its own history: a user's scores do not depend on the batch it is scored in, its position
      // there, or how far the batch is padded.
      const generated =
        diffusion === undefined
          ? condition
          : diffusion.sample(condition, {
              sampler: 'ddim',
              samplingSteps: resolved.samplingSteps,
              initialNoise: historyNoise(histories, size, length, hiddenSize, samplingSeed),
            });
      const hidden =
        resolved.scoreFusion === 'generated' ? generated : (tf.concat([...lastStates, generated], 1) as Tensor2D); // [B, D] or [B, (M + 1)·D]
      return matMul2d(hidden, scoreTableTransposed); // [B, N + 1]
    });

  return {
    name,
    numItems,
    maxLength: resolved.maxLength,
    variables,
    options: resolved,
    config: { ...resolved, streams: [...streams], featureSizes: { ...resolved.featureSizes } },
    loss: (batch, { seed: stepSeed }) => lossOf(batch, stepSeed),
    scoreAll: scoresOf,
    createScorer() {
      const shared = itemSide();
      return {
        scoreAll: (histories, size, length) => scoresWith(shared, histories, size, length),
        // The ID table is the model's own variable; everything else was computed for this scorer.
        dispose: () =>
          tf.dispose(
            [...shared.tables, shared.weights ?? [], shared.scoreTable, shared.scoreTableTransposed]
              .flat()
              .filter((tensor) => !(tensor instanceof tf.Variable)),
          ),
      };
    },
    dispose() {
      for (const part of Object.values(parts)) part.dispose();
      reading?.dispose();
      availability.dispose();
    },
  };
}
