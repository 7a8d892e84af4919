import { restoreVariables, type SerializedVariables, serializeVariables } from '@imecd/nn';
import * as tf from '@tensorflow/tfjs-core';
import type { RecommenderModel } from './model-contract';
import type { EpochRecord } from './trainer-events';

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

/** What the epoch loop carries from epoch to epoch besides the weights and the optimizer's moments. */
export type TrainerState = Pick<
  TrainerCheckpoint,
  'epochsDone' | 'bestEpoch' | 'bestScore' | 'epochsWithoutImprovement' | 'history' | 'bestWeights'
>;

/**
 * A fresh run's state; or, resuming, the checkpoint's, with its weights restored into the model and
 * its moments into the optimizer.
 */
export async function startingState(
  model: RecommenderModel,
  optimizer: tf.Optimizer,
  resumeFrom?: TrainerCheckpoint,
): Promise<TrainerState> {
  if (!resumeFrom) {
    return {
      epochsDone: 0,
      bestEpoch: 0,
      bestScore: -Infinity,
      epochsWithoutImprovement: 0,
      history: [],
      bestWeights: serializeVariables(model.variables),
    };
  }
  restoreVariables(model.variables, resumeFrom.weights);
  const saved = resumeFrom.optimizer.map(({ name, shape, values }) => ({ name, tensor: tf.tensor(values, shape) }));
  await optimizer.setWeights(saved); // copies into its own variables
  for (const { tensor } of saved) tensor.dispose();
  const { epochsDone, bestEpoch, bestScore, epochsWithoutImprovement, history, bestWeights } = resumeFrom;
  return { epochsDone, bestEpoch, bestScore, epochsWithoutImprovement, history: [...history], bestWeights };
}

/** What onCheckpoint gets: the state, the live weights and moments, and inside an epoch where it stood. */
export async function checkpointOf(
  state: TrainerState,
  model: RecommenderModel,
  optimizer: tf.Optimizer,
  partialEpoch?: PartialEpoch,
): Promise<TrainerCheckpoint> {
  return {
    version: 1,
    ...state,
    weights: serializeVariables(model.variables),
    optimizer: await saveOptimizer(optimizer),
    ...(partialEpoch && { partialEpoch }),
  };
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
