/**
 * @file @imecd/recommender — sequential recommenders on TensorFlow.js behind one small contract
 * (`RecommenderModel`: a loss for a training batch, scores for all items), after RecBole's
 * calculate_loss / full_sort_predict. What is here: the Pop and SASRec models, causal training
 * windows with length-bucketed, position-weighted batching, a trainer (Adam, early stopping on a validation metric,
 * resumable atomic checkpoints, NaN guard), full-ranking evaluation, and `recommend()`.
 * Backends are the app's choice: this package only imports `@tensorflow/tfjs-core`.
 */

export {
  createModel,
  MODEL_DEFAULTS,
  MODEL_NAMES,
  MODEL_SETTINGS,
  type ModelName,
  POP_SETTINGS,
  SASREC_BCE_SETTINGS,
  SASREC_SETTINGS,
} from './create-model';
export { type EvaluateOptions, type EvaluationSet, evaluateFullRanking } from './evaluate-full-ranking';
export {
  type GradientReply,
  type GradientRequest,
  type GradientShard,
  shardGradients,
  splitBatch,
} from './gradient-shards';
export type { ItemScorer, RecommenderModel } from './model-contract';
export { createPop, type PopOptions } from './pop';
export { type Recommendation, type RecommendOptions, recommend } from './recommend';
export { createSasrec, type SasrecLossType, type SasrecOptions } from './sasrec';
export { TrainingDivergedError, type TrainingResult, trainModel } from './trainer';
export type { PartialEpoch, TrainerCheckpoint } from './trainer-checkpoint';
export type { EpochRecord, MetricValues, TrainingEvent } from './trainer-events';
export type { TrainerOptions, TrainingData } from './trainer-options';
export { TRAINER_SETTINGS, type TrainerSettings } from './trainer-settings';
export { stepObjective } from './trainer-step';
export {
  BATCHING_STRATEGIES,
  type BatchingOptions,
  type BatchingStrategy,
  DEFAULT_BATCHING,
  makeTrainingBatches,
  makeTrainingWindows,
  type TrainingBatch,
  type TrainingWindow,
} from './training-batches';
