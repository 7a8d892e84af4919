import { deriveSeed, ImecdError, InvalidArgumentError } from '@imecd/core';
import type { MetricKey } from '@imecd/metrics';
import { restoreVariables, type SerializedVariables, serializeVariables } from '@imecd/nn';
import * as tf from '@tensorflow/tfjs-core';
import { type EvaluateOptions, type EvaluationSet, evaluateFullRanking } from './evaluate-full-ranking';
import { combineGradients, type GradientShard, splitBatch } from './gradient-shards';
import type { RecommenderModel } from './model-contract';
import type { EpochRecord, MetricValues, TrainingEvent } from './trainer-events';
import { TRAINER_SETTINGS } from './trainer-settings';
import {
  type BatchingStrategy,
  DEFAULT_BATCHING,
  makeTrainingBatches,
  makeTrainingWindows,
  type TrainingBatch,
} from './training-batches';

export interface TrainingData {
  /** Per user, the items before the validation target, oldest first. */
  trainingSequences: readonly Int32Array[];
  /** Per user, every item; only baselines that say they need it (pop with countFrom 'all') read it. */
  fullSequences?: readonly Int32Array[];
  valid: EvaluationSet;
  test: EvaluationSet;
}

export interface TrainerOptions {
  /** Most epochs. Default 200. */
  epochs?: number;
  /** Rows per training batch. Default 256. */
  batchSize?: number;
  /** Adam learning rate. Default 1e-3. */
  learningRate?: number;
  /** Stop after this many epochs without a better validation score. Default 10. */
  patience?: number;
  /** Validation metric that selects the epoch whose test metrics are reported. Default 'ndcg@10'. */
  selectMetric?: MetricKey;
  /** Seed of batch order and dropout. Default 1. */
  seed?: number;
  /**
   * How an epoch's windows become batches and how each batch's loss is weighted (see
   * {@link BatchingStrategy}). Default 'length-bucketed-weighted': bucketed by length for speed,
   * every scored position weighing the same across the epoch.
   */
  batching?: BatchingStrategy;
  /** Options of the full-ranking evaluation of validation and test users. */
  evaluation?: EvaluateOptions;
  /** Progress events. */
  onEvent?: (event: TrainingEvent) => void;
  /** Called after every epoch with everything needed to resume; awaited before the next epoch. */
  onCheckpoint?: (checkpoint: TrainerCheckpoint) => Promise<void> | void;
  /**
   * Also call onCheckpoint inside an epoch, after the first batch that ends this many seconds after
   * the last checkpoint (0: after every batch), so a kill loses at most about this much training
   * instead of the whole epoch; a resumed run skips the batches already done and continues exactly.
   * Default: undefined (checkpoints at epoch ends only).
   */
  checkpointIntervalSeconds?: number;
  /** Continue from a checkpoint written by onCheckpoint (same model config and data). */
  resumeFrom?: TrainerCheckpoint;
  /**
   * Data-parallel training: each step's batch is cut into 1 + shards.length parts of about equal
   * scored work (splitBatch); this thread computes the first part's gradient while each shard
   * computes another's, and the step applies their mean weighted by scored targets — the
   * full-batch gradient, with dropout masks drawn per part (deterministic for a seed and a shard
   * count). Only for models whose loss is a mean over scored positions (`splittableLoss`).
   * Default: none (one thread).
   */
  gradientShards?: readonly GradientShard[];
  /**
   * Most padded positions (rows × length) one gradient computation may hold. A batch with more is
   * cut into parts of whole rows of about equal scored work (splitBatch), whose gradients are
   * computed one after another and summed, weighted by scored targets, before the one optimizer
   * step: the batch's step in a fraction of the memory (a 256 × 50 batch over 6k items needs ~2 GB
   * per IMECD stream on wasm, whose heap ends at 4 GiB). For a loss that is a mean over scored
   * positions the step is the full batch's, up to dropout masks (drawn per part); a loss with
   * in-batch terms (IMECD's contrastive term) sees each part as its batch. Not with
   * gradientShards, which split batches their own way. Default: undefined (no limit).
   */
  maxStepPositions?: number;
}

/** Where an epoch stood when a checkpoint was written inside it. */
export interface PartialEpoch {
  /** The epoch in progress: always epochsDone + 1. */
  epoch: number;
  /** Batches of that epoch already applied to `weights`. */
  batchesDone: number;
  /** Sum of their losses, for the epoch's mean. */
  lossSum: number;
  /** Training seconds spent on them. */
  trainSeconds: number;
}

/** Everything a killed run needs to continue as if it had not stopped. */
export interface TrainerCheckpoint {
  version: 1;
  epochsDone: number;
  bestEpoch: number;
  bestScore: number;
  epochsWithoutImprovement: number;
  history: EpochRecord[];
  weights: SerializedVariables;
  bestWeights: SerializedVariables;
  optimizer: { name: string; shape: number[]; values: Float32Array }[];
  /** Set when the checkpoint was written inside an epoch (see `checkpointIntervalSeconds`). */
  partialEpoch?: PartialEpoch;
}

export interface TrainingResult {
  /** Epoch whose weights were kept (0 for models fitted without epochs). */
  bestEpoch: number;
  epochsRun: number;
  valid: MetricValues;
  test: MetricValues;
  /** Per-user test ranks of the kept model, for paired significance tests. */
  testRanks: Float64Array;
  history: EpochRecord[];
  secondsPerEpoch: number;
  stoppedEarly: boolean;
}

/** The loss became NaN or infinite; the last checkpoint written is still the last good one. */
export class TrainingDivergedError extends ImecdError {
  constructor(epoch: number, batch: number, loss: number) {
    super(
      'DIVERGED',
      `training diverged: loss ${loss} at epoch ${epoch}, batch ${batch}. The checkpoint of epoch ${epoch - 1} ` +
        'is kept; try a lower learning rate or more dropout.',
    );
  }
}

/**
 * Trains with Adam on every (prefix → next item) pair, evaluates full ranking on the validation
 * users after each epoch, stops early on the selected metric, and reports test metrics of the
 * best validation epoch only.
 */
export async function trainModel(
  model: RecommenderModel,
  data: TrainingData,
  options: TrainerOptions = {},
): Promise<TrainingResult> {
  const {
    epochs = TRAINER_SETTINGS.defaults.epochs,
    batchSize = TRAINER_SETTINGS.defaults.batchSize,
    learningRate = TRAINER_SETTINGS.defaults.learningRate,
    patience = TRAINER_SETTINGS.defaults.patience,
    selectMetric = 'ndcg@10',
    seed = 1,
    batching = DEFAULT_BATCHING,
    evaluation = {},
    onEvent = () => {},
    onCheckpoint,
    resumeFrom,
    gradientShards = [],
    checkpointIntervalSeconds,
    maxStepPositions,
  } = options;
  if (gradientShards.length > 0 && model.splittableLoss !== true) {
    throw new InvalidArgumentError(
      'gradientShards',
      `${model.name}'s loss is not a plain mean over scored positions (e.g. it has in-batch terms), so its batches cannot be split across workers`,
    );
  }
  TRAINER_SETTINGS.resolve({ epochs, batchSize, patience, learningRate, batching }, 'the trainer');
  if (maxStepPositions !== undefined) {
    if (!Number.isInteger(maxStepPositions) || maxStepPositions < 1) {
      throw new InvalidArgumentError('maxStepPositions', `expected a positive integer, got ${maxStepPositions}`);
    }
    if (gradientShards.length > 0)
      throw new InvalidArgumentError(
        'maxStepPositions',
        'cannot be combined with gradientShards, which split each batch their own way',
      );
  }
  if (checkpointIntervalSeconds !== undefined && !(checkpointIntervalSeconds >= 0)) {
    throw new InvalidArgumentError(
      'checkpointIntervalSeconds',
      `expected a number ≥ 0, got ${checkpointIntervalSeconds}`,
    );
  }
  const evaluate = (set: EvaluationSet) => evaluateFullRanking(model, set, evaluation);

  if (model.fit) {
    model.fit({
      trainingSequences: data.trainingSequences,
      ...(data.fullSequences ? { fullSequences: data.fullSequences } : {}),
    });
    const valid = evaluate(data.valid);
    const test = evaluate(data.test);
    onEvent({ type: 'run-end', bestEpoch: 0, valid: valid.metrics, test: test.metrics });
    return {
      bestEpoch: 0,
      epochsRun: 0,
      valid: valid.metrics,
      test: test.metrics,
      testRanks: test.ranks,
      history: [],
      secondsPerEpoch: 0,
      stoppedEarly: false,
    };
  }

  const windows = makeTrainingWindows(data.trainingSequences, model.maxLength);
  const optimizer = tf.train.adam(learningRate);
  let state = {
    epochsDone: 0,
    bestEpoch: 0,
    bestScore: -Infinity,
    epochsWithoutImprovement: 0,
    history: [] as EpochRecord[],
    bestWeights: serializeVariables(model.variables),
  };
  if (resumeFrom) {
    restoreVariables(model.variables, resumeFrom.weights);
    const saved = resumeFrom.optimizer.map(({ name, shape, values }) => ({ name, tensor: tf.tensor(values, shape) }));
    await optimizer.setWeights(saved); // copies into its own variables
    for (const { tensor } of saved) tensor.dispose();
    const { epochsDone, bestEpoch, bestScore, epochsWithoutImprovement, history, bestWeights } = resumeFrom;
    state = { epochsDone, bestEpoch, bestScore, epochsWithoutImprovement, history: [...history], bestWeights };
  }
  // Batches of the first epoch that a checkpoint written inside it already applied.
  let resumedPart = resumeFrom?.partialEpoch?.epoch === state.epochsDone + 1 ? resumeFrom.partialEpoch : undefined;
  let lastCheckpoint = performance.now();
  /** Hands onCheckpoint the current state (inside an epoch: with `partialEpoch`) and restarts the interval. */
  const writeCheckpoint = async (
    save: NonNullable<TrainerOptions['onCheckpoint']>,
    partialEpoch?: PartialEpoch,
  ): Promise<void> => {
    await save({
      version: 1,
      ...state,
      weights: serializeVariables(model.variables),
      optimizer: await saveOptimizer(optimizer),
      ...(partialEpoch && { partialEpoch }),
    });
    lastCheckpoint = performance.now();
  };

  let stoppedEarly = false;
  try {
    for (let epoch = state.epochsDone + 1; epoch <= epochs; epoch++) {
      if (state.epochsWithoutImprovement >= patience) break;
      // A resumed epoch's clock starts with the seconds its first part took before the kill.
      const started = performance.now() - (resumedPart?.trainSeconds ?? 0) * 1000;
      const batches = makeTrainingBatches(windows, { batchSize, seed: deriveSeed(seed, epoch), strategy: batching });
      onEvent({ type: 'epoch-start', epoch, epochs, batches: batches.length });
      // Σ over batches of lossWeight × the batch's mean loss: / batches it is the epoch's mean over positions.
      let lossSum = resumedPart?.lossSum ?? 0;
      for (let index = resumedPart?.batchesDone ?? 0; index < batches.length; index++) {
        const batch = batches[index]!;
        const stepSeed = deriveSeed(seed, epoch, index);
        const value =
          gradientShards.length === 0
            ? localStep(model, optimizer, batch, stepSeed, maxStepPositions)
            : await shardedStep(model, optimizer, batch, stepSeed, gradientShards);
        if (!Number.isFinite(value)) throw new TrainingDivergedError(epoch, index + 1, value);
        lossSum += value * (batch.lossWeight ?? 1);
        onEvent({ type: 'batch-end', epoch, batch: index + 1, batches: batches.length, loss: value });
        const due =
          checkpointIntervalSeconds !== undefined &&
          performance.now() - lastCheckpoint >= checkpointIntervalSeconds * 1000;
        if (onCheckpoint && due && index + 1 < batches.length) {
          await writeCheckpoint(onCheckpoint, {
            epoch,
            batchesDone: index + 1,
            lossSum,
            trainSeconds: (performance.now() - started) / 1000,
          });
        }
      }
      resumedPart = undefined;
      const trainSeconds = (performance.now() - started) / 1000;
      const valid = evaluate(data.valid).metrics;
      const record: EpochRecord = {
        epoch,
        loss: lossSum / batches.length,
        valid,
        seconds: (performance.now() - started) / 1000,
        trainSeconds,
      };
      const score = valid[selectMetric];
      if (score === undefined)
        throw new InvalidArgumentError('selectMetric', `${selectMetric} is not among the evaluated metrics`);
      const improved = score > state.bestScore;
      state = {
        epochsDone: epoch,
        bestEpoch: improved ? epoch : state.bestEpoch,
        bestScore: improved ? score : state.bestScore,
        epochsWithoutImprovement: improved ? 0 : state.epochsWithoutImprovement + 1,
        history: [...state.history, record],
        bestWeights: improved ? serializeVariables(model.variables) : state.bestWeights,
      };
      onEvent({
        type: 'epoch-end',
        record,
        batches: batches.length,
        improved,
        bestEpoch: state.bestEpoch,
        bestScore: state.bestScore,
      });
      if (onCheckpoint) await writeCheckpoint(onCheckpoint);
      if (state.epochsWithoutImprovement >= patience && epoch < epochs) {
        stoppedEarly = true;
        onEvent({ type: 'early-stop', epoch, bestEpoch: state.bestEpoch, patience });
      }
    }
  } finally {
    optimizer.dispose();
  }

  restoreVariables(model.variables, state.bestWeights);
  const best = state.history.find((record) => record.epoch === state.bestEpoch);
  const test = evaluate(data.test);
  const valid = best?.valid ?? evaluate(data.valid).metrics;
  onEvent({ type: 'run-end', bestEpoch: state.bestEpoch, valid, test: test.metrics });
  const seconds = state.history.map((record) => record.seconds);
  return {
    bestEpoch: state.bestEpoch,
    epochsRun: state.epochsDone,
    valid,
    test: test.metrics,
    testRanks: test.ranks,
    history: state.history,
    secondsPerEpoch: seconds.length ? seconds.reduce((a, b) => a + b, 0) / seconds.length : 0,
    stoppedEarly: stoppedEarly || state.epochsWithoutImprovement >= patience,
  };
}

/**
 * What a step descends for `batch`: lossWeight × the model's mean loss over the batch's scored
 * targets (see TrainingBatch.lossWeight; the plain mean when the batching sets no weight).
 */
export function stepObjective(model: RecommenderModel, batch: TrainingBatch, context: { seed: number }): tf.Scalar {
  const weight = batch.lossWeight ?? 1;
  return tf.tidy(() => {
    const mean = model.loss(batch, context);
    return weight === 1 ? mean : tf.mul(mean, weight);
  });
}

/**
 * One optimizer step on this thread; returns the batch's mean loss. A batch over `maxPositions`
 * padded positions is stepped as parts whose gradients are accumulated (see maxStepPositions).
 */
function localStep(
  model: RecommenderModel,
  optimizer: tf.Optimizer,
  batch: TrainingBatch,
  stepSeed: number,
  maxPositions?: number,
): number {
  const positions = batch.size * batch.length;
  if (maxPositions === undefined || positions <= maxPositions) {
    const objective = optimizer.minimize(() => stepObjective(model, batch, { seed: stepSeed }), true, [
      ...model.variables,
    ]);
    const value = objective!.dataSync()[0]! / (batch.lossWeight ?? 1);
    objective!.dispose();
    return value;
  }
  const parts = splitBatch(batch, Math.ceil(positions / maxPositions));
  const variables = [...model.variables];
  // Each part's mean weighted by its share of the batch's targets gives the batch's mean; lossWeight scales it as above.
  const scale = (batch.lossWeight ?? 1) / batch.scoredCount;
  // Per variable the weighted sum so far; a variable no part's loss reaches has none and is not stepped (as in minimize).
  let sums: Record<string, tf.Tensor> = {};
  let loss = 0;
  parts.forEach((part, index) => {
    const { value, grads } = tf.variableGrads(() => model.loss(part, { seed: deriveSeed(stepSeed, index) }), variables);
    const weight = part.scoredCount * scale;
    const reached = variables.map(({ name }) => name).filter((name) => grads[name] != null);
    const added = tf.tidy(() =>
      Object.fromEntries(
        reached.map((name) => {
          const scaled = tf.mul(grads[name]!, weight);
          return [name, sums[name] === undefined ? scaled : tf.add(sums[name]!, scaled)];
        }),
      ),
    );
    loss += (value.dataSync()[0]! * part.scoredCount) / batch.scoredCount;
    tf.dispose([
      value,
      ...reached.map((name) => grads[name]!),
      ...reached.flatMap((name) => (sums[name] === undefined ? [] : [sums[name]!])),
    ]);
    sums = { ...sums, ...added };
  });
  // Every variable in order, unreached ones without a tensor, as minimize hands them: tfjs's Adam keys
  // its moments by position in this list and skips the missing ones.
  optimizer.applyGradients(
    variables.map(({ name }) => ({ name, tensor: sums[name] })) as Parameters<tf.Optimizer['applyGradients']>[0],
  );
  tf.dispose(Object.values(sums));
  return loss;
}

/** One optimizer step with the batch's parts spread over this thread and the shards; returns the batch's mean loss. */
async function shardedStep(
  model: RecommenderModel,
  optimizer: tf.Optimizer,
  batch: TrainingBatch,
  stepSeed: number,
  shards: readonly GradientShard[],
): Promise<number> {
  const parts = splitBatch(batch, 1 + shards.length);
  const variables = [...model.variables];
  const weights = variables.map((variable) => variable.dataSync() as Float32Array);
  // The shards start first, so they work while this thread computes its own part.
  const remote = parts
    .slice(1)
    .map((part, index) => shards[index]!.gradients({ weights, batch: part, seed: deriveSeed(stepSeed, index + 1) }));
  const local = tf.variableGrads(() => model.loss(parts[0]!, { seed: deriveSeed(stepSeed, 0) }), variables);
  const toDispose: tf.Tensor[] = [local.value, ...Object.values(local.grads)];
  try {
    const replies = await Promise.all(remote);
    const total = parts.reduce((sum, part) => sum + part.scoredCount, 0);
    const remoteGradients = replies.map((reply) =>
      reply.gradients.map((values, index) => tf.tensor(values, variables[index]!.shape, 'float32')),
    );
    toDispose.push(...remoteGradients.flat());
    // The parts' means weighted by their share of the batch's targets give the batch's mean; lossWeight scales it as localStep does.
    const scale = (batch.lossWeight ?? 1) / total;
    const combined = combineGradients([
      { weight: parts[0]!.scoredCount * scale, gradients: variables.map((variable) => local.grads[variable.name]!) },
      ...replies.map((_, index) => ({
        weight: parts[index + 1]!.scoredCount * scale,
        gradients: remoteGradients[index]!,
      })),
    ]);
    toDispose.push(...combined);
    optimizer.applyGradients(Object.fromEntries(variables.map((variable, index) => [variable.name, combined[index]!])));
    const localLoss = local.value.dataSync()[0]!;
    return replies.reduce(
      (sum, reply, index) => sum + (reply.loss * parts[index + 1]!.scoredCount) / total,
      (localLoss * parts[0]!.scoredCount) / total,
    );
  } finally {
    tf.dispose(toDispose);
  }
}

async function saveOptimizer(optimizer: tf.Optimizer): Promise<TrainerCheckpoint['optimizer']> {
  const weights = await optimizer.getWeights();
  const saved = weights.map(({ name, tensor }) => ({
    name,
    shape: [...tensor.shape],
    values: Float32Array.from(tensor.dataSync()),
  }));
  // The moments are the optimizer's live variables; the iteration count is a fresh tensor.
  for (const { tensor } of weights) if (!(tensor instanceof tf.Variable)) tensor.dispose();
  return saved;
}
