import { InvalidArgumentError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs-core';
import type { RecommenderModel } from './model-contract';
import type { TrainingBatch } from './training-batches';

/**
 * One more pair of hands for a training step: somewhere else (a worker thread with its own
 * backend and its own copy of the model) it loads the given weights, computes the mean loss of a
 * part of the step's batch and its gradient, and sends both back. The trainer owns the weights and
 * the optimizer; a shard keeps no state between steps beyond its copy of the weights.
 */
export interface GradientShard {
  /** `weights` follow `model.variables`' order; so must the returned `gradients`. */
  gradients(request: GradientRequest): Promise<GradientReply>;
  /** Stops the shard (e.g. terminates its worker). */
  dispose(): Promise<void> | void;
}

export interface GradientRequest {
  /** Every trainable variable's current values, in `model.variables` order. */
  weights: Float32Array[];
  batch: TrainingBatch;
  /** Dropout seed of this part of the step. */
  seed: number;
}

export interface GradientReply {
  /** Mean loss over the part's scored targets. */
  loss: number;
  /** ∂loss/∂variable, in `model.variables` order. */
  gradients: Float32Array[];
}

/**
 * Cuts a batch into at most `parts` batches of whole rows, each with at least one scored target,
 * at the rows where the running count of scored targets crosses k/parts of the total, so the parts
 * carry about equal work. Each part keeps the batch's padded length (rows are left-padded to it).
 */
export function splitBatch(batch: TrainingBatch, parts: number): TrainingBatch[] {
  if (!Number.isInteger(parts) || parts < 1)
    throw new InvalidArgumentError('parts', `expected a positive integer, got ${parts}`);
  const { size, length } = batch;
  const scoredPerRow = Array.from({ length: size }, (_, row) => {
    let count = 0;
    for (let position = row * length; position < (row + 1) * length; position++)
      if (batch.targets[position] !== 0) count++;
    return count;
  });
  const cuts = [0];
  let running = 0;
  scoredPerRow.forEach((count, row) => {
    running += count;
    const wanted = cuts.length; // the next cut ends part `wanted - 1`
    if (wanted < parts && row + 1 < size && running >= (wanted * batch.scoredCount) / parts && running > 0)
      cuts.push(row + 1);
  });
  cuts.push(size);
  const result: TrainingBatch[] = [];
  for (let index = 0; index + 1 < cuts.length; index++) {
    const [from, to] = [cuts[index]!, cuts[index + 1]!];
    const scoredCount = scoredPerRow.slice(from, to).reduce((a, b) => a + b, 0);
    if (scoredCount === 0) continue;
    result.push({
      size: to - from,
      length,
      inputs: batch.inputs.slice(from * length, to * length),
      targets: batch.targets.slice(from * length, to * length),
      scoredCount,
    });
  }
  return result;
}

/** Σ_p w_p · g_p for each variable: the gradients of parts combined with the parts' weights. */
export function combineGradients(parts: readonly { weight: number; gradients: readonly tf.Tensor[] }[]): tf.Tensor[] {
  return tf.tidy(() =>
    parts[0]!.gradients.map((_, index) => tf.addN(parts.map((part) => tf.mul(part.gradients[index]!, part.weight)))),
  );
}

/**
 * What a shard does with a request, on its own copy of the model: load the weights, then return
 * the part's mean loss and gradient (copied out, in `model.variables` order). A worker thread
 * calls this for every message; tests call it in-process.
 */
export function shardGradients(model: RecommenderModel, request: GradientRequest): GradientReply {
  const variables = [...model.variables];
  if (request.weights.length !== variables.length) {
    throw new InvalidArgumentError(
      'weights',
      `expected ${variables.length} arrays (one per variable of ${model.name}), got ${request.weights.length}`,
    );
  }
  variables.forEach((variable, index) => {
    const values = tf.tensor(request.weights[index]!, variable.shape, 'float32');
    variable.assign(values);
    values.dispose();
  });
  const { value, grads } = tf.variableGrads(() => model.loss(request.batch, { seed: request.seed }), variables);
  try {
    return {
      loss: value.dataSync()[0]!,
      gradients: variables.map((variable) => Float32Array.from(grads[variable.name]!.dataSync())),
    };
  } finally {
    tf.dispose([value, ...Object.values(grads)]);
  }
}
