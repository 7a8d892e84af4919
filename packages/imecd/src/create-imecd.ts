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
  createModuleList,
  createTransformerEncoder,
  createVariableModule,
  type Module,
  type TransformerEncoder,
} from '@imecd/nn';
import type { RecommenderModel } from '@imecd/recommender';
import { createModalityQuantizers, type ModalityQuantizers } from '@imecd/vq';
import type { Rank, Scalar, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { createFirstReading } from './first-reading';
import { createGenerativeReading } from './generative-reading';
import {
  type FeatureModality,
  hasSplittableLoss,
  type ImecdOptions,
  type ResolvedImecdOptions,
  resolveImecdOptions,
  type Stream,
} from './imecd-options';
import { createModalityProjection, type ModalityProjection } from './modality-projection';
import type { ImecdReading } from './reading';

/** An IMECD model: the RecommenderModel contract plus its resolved options. */
export interface ImecdModel extends RecommenderModel {
  readonly options: ResolvedImecdOptions;
}

/** Seed streams of the parts, fixed per part so an ablation that drops one part leaves the others' initial weights unchanged. */
const PART = { idEmbedding: 1, projection: 2, encoder: 3, quantizers: 4, diffusion: 5, sampling: 6 } as const;
/** Seed stream of one training step's expert draws (the readings draw their own). */
const STEP_PROJECTION = 1;

/** The model's modules, in the order of its `variables` (each built all or nothing); a type, not an interface, so it meets createChildModules' record constraint. */
type ImecdParts = {
  idEmbedding: Module;
  /** Softmax logits of the first reading's stream weights; zeros = the plain mean. One stream needs none. */
  fusion?: Module;
  projections: Module & { readonly items: readonly ModalityProjection[] };
  encoders: Module & { readonly items: readonly TransformerEncoder[] };
  quantizers?: ModalityQuantizers<Stream>;
  /** G [D + 1, M] of the ID-state stream gate (stream-gate.ts); zeros = the plain sum. Several streams only. */
  streamGate?: Module;
  /** CDG of the generative reading: the encoders are its approximator. */
  generator?: SequenceDiffusion;
  /** CDG of the first reading: an MLP denoiser beside the streams. */
  diffusion?: ConditionalDiffusion;
};

function createParts(resolved: ResolvedImecdOptions, features: NonNullable<ImecdOptions['features']>): ImecdParts {
  const { numItems, hiddenSize, streams, name, seed } = resolved;
  const generative = resolved.generator === 'approximator';
  const modalities = streams.filter((stream): stream is FeatureModality => stream !== 'id');
  const rows = numItems + 1;
  // RecBole initialises ID embeddings N(0, 0.02²); row 0 (padding) starts at zero.
  const embeddingRng = createRng(deriveSeed(seed, PART.idEmbedding));
  const idTable = new Float32Array(rows * hiddenSize);
  for (let index = hiddenSize; index < idTable.length; index++) idTable[index] = 0.02 * embeddingRng.normal();
  const schedule = { kind: 'truncated-linear', numSteps: resolved.diffusionSteps } as const;
  return createChildModules<ImecdParts>({
    idEmbedding: () => createVariableModule(`${name}/item_embedding`, [rows, hiddenSize], idTable),
    ...(streams.length > 1 &&
      !generative && {
        fusion: () => createVariableModule(`${name}/fusion_logits`, [streams.length], new Float32Array(streams.length)),
      }),
    projections: () =>
      createModuleList(
        modalities.map(
          (modality, index) => () =>
            createModalityProjection({
              features: features[modality]!,
              outputSize: hiddenSize,
              kind: resolved.moe,
              scaling: resolved.featureScaling,
              numExperts: resolved.numExperts,
              name: `${name}/${modality}`,
              seed: deriveSeed(seed, PART.projection, index),
            }),
        ),
      ),
    encoders: () =>
      createModuleList(
        streams.map(
          (stream, index) => () =>
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
        ),
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
    ...(resolved.streamGate === 'id-state' &&
      streams.length > 1 && {
        streamGate: () =>
          createVariableModule(
            `${name}/stream_gate`,
            [hiddenSize + 1, streams.length],
            new Float32Array((hiddenSize + 1) * streams.length),
          ),
      }),
    ...(resolved.diffusion &&
      generative && {
        generator: () =>
          createSequenceDiffusion({
            dataSize: streams.length * hiddenSize,
            schedule,
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
            schedule,
            // The λ weights are applied by the reading, to the separate terms; 1 only switches the InfoNCE term on.
            reconstructionWeight: 1,
            contrastiveWeight: resolved.contrastive ? 1 : 0,
            name: `${name}/diffusion`,
            seed: deriveSeed(seed, PART.diffusion),
          }),
      }),
  });
}

/** Builds IMECD (or, through its switches, one of its ablations or the fusion baseline). */
export function createImecd(options: ImecdOptions): ImecdModel {
  const resolved = resolveImecdOptions(options);
  const { numItems, streams, name, seed } = resolved;
  const features = options.features ?? {};
  const parts = createParts(resolved, features);
  const idEmbedding = parts.idEmbedding.variables[0] as Variable<Rank.R2>;
  const variables = Object.values(parts).flatMap((part: Module) => [...part.variables]);
  const samplingSeed = deriveSeed(seed, PART.sampling);

  // [N + 1, M]: 1 where item i has stream m (the ID stream: every item), for the first reading's fused items.
  const availability = tf.tensor2d(
    Float32Array.from({ length: (numItems + 1) * streams.length }, (_, flat) => {
      const stream = streams[flat % streams.length]!;
      return stream === 'id' ? 1 : features[stream]!.mask[Math.floor(flat / streams.length)]!;
    }),
    [numItems + 1, streams.length],
  );
  const encoders = parts.encoders.items;
  const reading: ImecdReading =
    resolved.generator === 'approximator'
      ? createGenerativeReading({
          options: resolved,
          encoders,
          quantizers: parts.quantizers,
          generator: parts.generator,
          streamGate: parts.streamGate?.variables[0] as Tensor2D | undefined,
          samplingSeed,
        })
      : createFirstReading({
          options: resolved,
          encoders,
          fusionLogits: parts.fusion?.variables[0],
          quantizers: parts.quantizers,
          diffusion: parts.diffusion,
          availability,
          samplingSeed,
        });

  /** Each stream's item table r_m [N + 1, D] (e_id first) and the experts' balance loss. */
  const itemTables = (training: boolean, stepSeed?: number): { tables: Tensor2D[]; balanceLoss: Scalar } => {
    const projected = parts.projections.items.map((projection, index) =>
      projection.apply(idEmbedding, {
        training,
        ...(stepSeed === undefined ? {} : { seed: deriveSeed(stepSeed, STEP_PROJECTION, index) }),
      }),
    );
    return {
      tables: [idEmbedding, ...projected.map((entry) => entry.representations)],
      balanceLoss:
        projected.length === 0 ? tf.scalar(0) : (tf.addN(projected.map((entry) => entry.balanceLoss)) as Scalar),
    };
  };

  /** The item side of scoring, from the current weights: what every batch of an evaluation pass shares. */
  const itemSide = () =>
    tf.tidy(() => {
      const { tables } = itemTables(false); // the experts run over all N + 1 items: the costly part
      const scoreTable = reading.scoreTable(tables);
      return { tables, scoreTable, scoreTableTransposed: tf.transpose(scoreTable) as Tensor2D };
    });
  type ItemSide = ReturnType<typeof itemSide>;

  const scoresWith = (side: ItemSide, histories: Int32Array, size: number, length: number): Tensor2D =>
    tf.tidy(() => reading.scores(side.tables, side.scoreTable, side.scoreTableTransposed, histories, size, length));

  return {
    name,
    numItems,
    maxLength: resolved.maxLength,
    variables,
    splittableLoss: hasSplittableLoss(resolved),
    options: resolved,
    config: { ...resolved, streams: [...streams], featureSizes: { ...resolved.featureSizes } },
    loss: (batch, { seed: stepSeed }) =>
      tf.tidy(() => {
        const { tables, balanceLoss } = itemTables(true, stepSeed);
        return tf.add(reading.loss(tables, batch, stepSeed), tf.mul(balanceLoss, resolved.lambdaBalance)) as Scalar;
      }),
    scoreAll: (histories, size, length) => tf.tidy(() => scoresWith(itemSide(), histories, size, length)),
    createScorer() {
      const shared = itemSide();
      return {
        scoreAll: (histories, size, length) => scoresWith(shared, histories, size, length),
        // The ID table is the model's own variable; everything else was computed for this scorer.
        dispose: () =>
          tf.dispose(
            [...shared.tables, shared.scoreTable, shared.scoreTableTransposed].filter(
              (tensor) => !(tensor instanceof tf.Variable),
            ),
          ),
      };
    },
    dispose() {
      for (const part of Object.values(parts)) part.dispose();
      reading.dispose();
      availability.dispose();
    },
  };
}
