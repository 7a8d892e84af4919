import { InvalidArgumentError } from '@imecd/core';
import type { MetricKey } from '@imecd/metrics';
import type { EvaluateOptions, EvaluationSet } from './evaluate-full-ranking';
import type { GradientShard } from './gradient-shards';
import type { RecommenderModel } from './model-contract';
import type { TrainerCheckpoint } from './trainer-checkpoint';
import type { TrainingEvent } from './trainer-events';
import { TRAINER_SETTINGS } from './trainer-settings';
import type { BatchingStrategy } from './training-batches';

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

/** The options that stay undefined when not given: undefined there means "off", not a default. */
type Unset = 'onCheckpoint' | 'checkpointIntervalSeconds' | 'resumeFrom' | 'maxStepPositions';

/** TrainerOptions with every default filled in. */
export type ResolvedTrainerOptions = Required<Omit<TrainerOptions, Unset>> & { [K in Unset]: TrainerOptions[K] };

/** Fills in the defaults and rejects options that contradict each other or the model. */
export function resolveTrainerOptions(model: RecommenderModel, options: TrainerOptions): ResolvedTrainerOptions {
  const {
    epochs = TRAINER_SETTINGS.defaults.epochs,
    batchSize = TRAINER_SETTINGS.defaults.batchSize,
    learningRate = TRAINER_SETTINGS.defaults.learningRate,
    patience = TRAINER_SETTINGS.defaults.patience,
    selectMetric = 'ndcg@10',
    seed = 1,
    batching = TRAINER_SETTINGS.defaults.batching,
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
  return {
    epochs,
    batchSize,
    learningRate,
    patience,
    selectMetric,
    seed,
    batching,
    evaluation,
    onEvent,
    onCheckpoint,
    resumeFrom,
    gradientShards,
    checkpointIntervalSeconds,
    maxStepPositions,
  };
}
