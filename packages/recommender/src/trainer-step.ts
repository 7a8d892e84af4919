import { deriveSeed } from '@imecd/core';
import * as tf from '@tensorflow/tfjs-core';
import { combineGradients, type GradientShard, splitBatch } from './gradient-shards';
import type { RecommenderModel } from './model-contract';
import type { TrainingBatch } from './training-batches';

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
export function localStep(
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
export async function shardedStep(
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
