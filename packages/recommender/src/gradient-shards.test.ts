import { InvalidArgumentError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GradientShard, shardGradients, splitBatch } from './gradient-shards';
import type { RecommenderModel } from './model-contract';
import { createSasrec } from './sasrec';
import { syntheticWalks, useCpuBackend } from './test-backend.test-helper';
import { trainModel } from './trainer';
import type { TrainingData } from './trainer-options';
import { makeTrainingBatches, makeTrainingWindows } from './training-batches';

beforeAll(useCpuBackend);

const numItems = 30;
/** SYNTHETIC leave-one-out data from the walk rule, histories of several lengths. */
function syntheticData(): TrainingData {
  const sequences = syntheticWalks(40, numItems, 9).map((walk, user) => walk.slice(0, 4 + (user % 6)));
  const part = (offset: number) => ({
    histories: sequences.map((sequence) => sequence.slice(0, sequence.length - offset)),
    targets: Int32Array.from(sequences.map((sequence) => sequence[sequence.length - offset]!)),
  });
  return { trainingSequences: sequences.map((sequence) => sequence.slice(0, -2)), valid: part(2), test: part(1) };
}
/** Dropout off: with it, parts draw their own masks and only the expectation matches. */
const sasrec = (name: string, dropout = 0) =>
  createSasrec({
    numItems,
    hiddenSize: 8,
    innerSize: 16,
    maxLength: 6,
    dropout,
    attentionDropout: dropout,
    seed: 3,
    name,
  });

/** A shard in this thread, on its own copy of the model: what a worker thread does, minus the thread. */
function inProcessShard(model: RecommenderModel): GradientShard & { requests: number } {
  const shard = {
    requests: 0,
    gradients: async (request: Parameters<GradientShard['gradients']>[0]) => {
      shard.requests++;
      return shardGradients(model, request);
    },
    dispose: () => model.dispose(),
  };
  return shard;
}

describe('splitBatch', () => {
  const batch = makeTrainingBatches(makeTrainingWindows(syntheticData().trainingSequences, 6), {
    batchSize: 16,
    seed: 1,
    strategy: 'random',
  })[0]!;

  it('cuts whole rows, in order, into parts that each score something and together score everything', () => {
    for (const parts of [1, 2, 3]) {
      const split = splitBatch(batch, parts);
      expect(split.length).toBeLessThanOrEqual(parts);
      expect(split.every((part) => part.scoredCount > 0 && part.length === batch.length)).toBe(true);
      expect(split.reduce((sum, part) => sum + part.scoredCount, 0)).toBe(batch.scoredCount);
      expect(Array.from(split.flatMap((part) => Array.from(part.inputs)))).toEqual(Array.from(batch.inputs));
      expect(Array.from(split.flatMap((part) => Array.from(part.targets)))).toEqual(Array.from(batch.targets));
    }
    const [first, second] = splitBatch(batch, 2);
    // About equal scored work: no part carries more than half plus one row's worth.
    expect(Math.abs(first!.scoredCount - second!.scoredCount)).toBeLessThanOrEqual(2 * batch.length);
    expect(() => splitBatch(batch, 0)).toThrow(InvalidArgumentError);
  });
});

describe('trainModel with gradient shards', () => {
  it('takes the same steps as one thread (no dropout): the parts recombine into the full-batch gradient', async () => {
    const data = syntheticData();
    const options = { epochs: 3, batchSize: 16, learningRate: 0.01, patience: 5, seed: 2 };
    const alone = sasrec('alone');
    const single = await trainModel(alone, data, options);
    const sharded = sasrec('sharded');
    const shard = inProcessShard(sasrec('shard'));
    const parallel = await trainModel(sharded, data, { ...options, gradientShards: [shard] });
    expect(shard.requests).toBeGreaterThan(0);
    parallel.history.forEach((record, index) => {
      expect(record.loss).toBeCloseTo(single.history[index]!.loss, 4);
    });
    alone.variables.forEach((variable, index) => {
      const [a, b] = [variable.dataSync(), sharded.variables[index]!.dataSync()];
      a.forEach((value, at) => {
        expect(b[at]).toBeCloseTo(value, 4);
      });
    });
    expect(parallel.test['ndcg@10']).toBeCloseTo(single.test['ndcg@10']!, 4);
    tf.dispose([...alone.variables, ...sharded.variables]);
    await shard.dispose();
  });

  it('is deterministic for a seed with dropout on, and leaks no tensors across epochs', async () => {
    const data = syntheticData();
    const run = async (name: string) => {
      const model = sasrec(name, 0.3);
      const shard = inProcessShard(sasrec(`${name}-shard`, 0.3));
      const counts: number[] = [];
      const result = await trainModel(model, data, {
        epochs: 3,
        batchSize: 16,
        learningRate: 0.01,
        patience: 5,
        seed: 4,
        gradientShards: [shard],
        onEvent: (event) => {
          if (event.type === 'epoch-end') counts.push(tf.memory().numTensors);
        },
      });
      model.dispose();
      await shard.dispose();
      return { losses: result.history.map((record) => record.loss), counts };
    };
    const [first, second] = [await run('first'), await run('second')];
    expect(second.losses).toEqual(first.losses);
    expect(new Set(first.counts).size).toBe(1);
  });

  it('refuses a model whose loss cannot be split across rows', async () => {
    const model = sasrec('unsplittable');
    const shard = inProcessShard(sasrec('unsplittable-shard'));
    await expect(
      trainModel({ ...model, splittableLoss: false }, syntheticData(), { epochs: 1, gradientShards: [shard] }),
    ).rejects.toThrow(/cannot be split/);
    model.dispose();
    await shard.dispose();
  });
});
