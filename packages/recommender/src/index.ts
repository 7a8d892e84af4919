/**
 * @file @imecd/recommender — sequential recommenders on TensorFlow.js behind one small contract
 * (`RecommenderModel`: a loss for a training batch, scores for all items), after RecBole's
 * calculate_loss / full_sort_predict. What is here: the Pop and SASRec models, causal training
 * windows with length-bucketed, position-weighted batching, a trainer (Adam, early stopping on a validation metric,
 * resumable atomic checkpoints, NaN guard), full-ranking evaluation, and `recommend()`.
 * Backends are the app's choice: this package only imports `@tensorflow/tfjs-core`.
 */

export type { ModelName } from './create-model';
export {
  createModel,
  MODEL_DEFAULTS,
  MODEL_NAMES,
  MODEL_SETTINGS,
  POP_SETTINGS,
  SASREC_SETTINGS,
} from './create-model';
export type { EvaluateOptions, EvaluationSet } from './evaluate-full-ranking';
export { evaluateFullRanking } from './evaluate-full-ranking';
export type { GradientReply, GradientRequest, GradientShard } from './gradient-shards';
export { shardGradients, splitBatch } from './gradient-shards';
export type { ItemScorer, RecommenderModel } from './model-contract';
export type { PopOptions } from './pop';
export { createPop } from './pop';
export type { Recommendation, RecommendOptions } from './recommend';
export { recommend } from './recommend';
export type { SasrecOptions } from './sasrec';
export { createSasrec } from './sasrec';
export type { TrainingResult } from './trainer';
export { TrainingDivergedError, trainModel } from './trainer';
export type { PartialEpoch, TrainerCheckpoint } from './trainer-checkpoint';
export type { EpochRecord, MetricValues, TrainingEvent } from './trainer-events';
export type { TrainerOptions, TrainingData } from './trainer-options';
export type { TrainerSettings } from './trainer-settings';
export { TRAINER_SETTINGS } from './trainer-settings';
export { stepObjective } from './trainer-step';
export type { BatchingOptions, BatchingStrategy, TrainingBatch, TrainingWindow } from './training-batches';
export { BATCHING_STRATEGIES, DEFAULT_BATCHING, makeTrainingBatches, makeTrainingWindows } from './training-batches';
