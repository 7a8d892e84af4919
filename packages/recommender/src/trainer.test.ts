import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveSeed } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecommenderModel } from './model-contract';
import { readCheckpointFile, writeCheckpointFile } from './node/checkpoint-file';
import { createPop } from './pop';
import { createSasrec } from './sasrec';
import { syntheticWalks, useCpuBackend } from './test-backend.test-helper';
import { TrainingDivergedError, type TrainingResult, trainModel } from './trainer';
import type { TrainerCheckpoint } from './trainer-checkpoint';
import type { TrainerOptions, TrainingData } from './trainer-options';
import { stepObjective } from './trainer-step';
import {
  type BatchingStrategy,
  makeTrainingBatches,
  makeTrainingWindows,
  type TrainingBatch,
} from './training-batches';

beforeAll(useCpuBackend);

const numItems = 40;
/** Synthetic leave-one-out data from the walk rule (last item test, second to last valid). */
function syntheticData(): TrainingData {
  const sequences = syntheticWalks(60, numItems, 9);
  const part = (end: number) => ({
    histories: sequences.map((sequence) => sequence.slice(0, end)),
    targets: Int32Array.from(sequences.map((sequence) => sequence[end]!)),
  });
  return { trainingSequences: sequences.map((sequence) => sequence.slice(0, 7)), valid: part(7), test: part(8) };
}
const smallSasrec = (name: string) =>
  createSasrec({
    numItems,
    hiddenSize: 16,
    innerSize: 32,
    maxLength: 10,
    dropout: 0.1,
    attentionDropout: 0.1,
    seed: 5,
    name,
  });

/** Trains a fresh small SASRec named `name` and frees it, however the run ends. */
async function trainFresh(name: string, data: TrainingData, options: TrainerOptions): Promise<TrainingResult> {
  const model = smallSasrec(name);
  try {
    return await trainModel(model, data, options);
  } finally {
    model.dispose();
  }
}

/** A resumed run is the uninterrupted one: the same per-epoch losses, best epoch and test metrics. */
function expectSameRun(resumed: TrainingResult, uninterrupted: TrainingResult): void {
  expect(resumed.bestEpoch).toBe(uninterrupted.bestEpoch);
  expect(resumed.history.map((record) => record.loss)).toEqual(uninterrupted.history.map((record) => record.loss));
  expect(resumed.test).toEqual(uninterrupted.test);
}

describe('trainModel', () => {
  it('learns the synthetic rule far above chance and reports the best validation epoch', async () => {
    const model = smallSasrec('learn');
    const events: string[] = [];
    const result = await trainModel(model, syntheticData(), {
      epochs: 15,
      batchSize: 16,
      learningRate: 0.01,
      patience: 15,
      seed: 1,
      onEvent: (event) => events.push(event.type),
    });
    expect(result.test['hr@10']).toBeGreaterThan(0.8); // chance is 10/40
    expect(result.history).toHaveLength(15);
    expect(result.history.every((record) => record.trainSeconds! > 0 && record.trainSeconds! <= record.seconds)).toBe(
      true,
    );
    const best = result.history.reduce((a, b) => ((b.valid['ndcg@10'] ?? 0) > (a.valid['ndcg@10'] ?? 0) ? b : a));
    expect(result.bestEpoch).toBe(best.epoch);
    expect(result.valid).toEqual(best.valid);
    expect(events[0]).toBe('epoch-start');
    expect(events.at(-1)).toBe('run-end');
    model.dispose();
  });

  it('stops early after `patience` epochs without improvement', async () => {
    const model = smallSasrec('patience');
    // A learning rate of 0 never improves after epoch 1.
    const result = await trainModel(model, syntheticData(), {
      epochs: 30,
      batchSize: 16,
      learningRate: 1e-12,
      patience: 2,
      seed: 1,
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochsRun).toBeLessThan(30);
    expect(result.epochsRun - result.bestEpoch).toBe(2);
    model.dispose();
  });

  it('resumes from a checkpoint file to the same metrics as an uninterrupted run', async () => {
    const data = syntheticData();
    const options = { epochs: 6, batchSize: 16, learningRate: 0.01, patience: 10, seed: 3 };
    const full = await trainFresh('resume', data, options);

    // "Kill" after epoch 3: keep the checkpoint file written then, drop the model.
    const file = join(mkdtempSync(join(tmpdir(), 'imecd-ckpt-')), 'checkpoint.bin');
    await trainFresh('resume', data, {
      ...options,
      epochs: 3,
      onCheckpoint: (checkpoint) => writeCheckpointFile(file, checkpoint),
    });
    const resumeFrom = await readCheckpointFile(file);
    expect(resumeFrom.epochsDone).toBe(3);

    expectSameRun(await trainFresh('resume', data, { ...options, resumeFrom }), full);
  });

  it('resumes from a checkpoint written inside an epoch to the same run as an uninterrupted one', async () => {
    const data = syntheticData();
    const options = { epochs: 5, batchSize: 16, learningRate: 0.01, patience: 10, seed: 4 };
    const full = await trainFresh('resume-mid', data, options);

    // "Kill" in epoch 3 after its second batch: the file then holds that mid-epoch checkpoint.
    const file = join(mkdtempSync(join(tmpdir(), 'imecd-ckpt-')), 'checkpoint.bin');
    const killed = new Error('killed');
    const written: string[] = [];
    const run = trainFresh('resume-mid', data, {
      ...options,
      checkpointIntervalSeconds: 0,
      onCheckpoint: async (checkpoint) => {
        await writeCheckpointFile(file, checkpoint);
        written.push(
          checkpoint.partialEpoch
            ? `${checkpoint.partialEpoch.epoch}.${checkpoint.partialEpoch.batchesDone}`
            : `${checkpoint.epochsDone}`,
        );
        if (checkpoint.partialEpoch?.epoch === 3 && checkpoint.partialEpoch.batchesDone === 2) throw killed;
      },
    });
    await expect(run).rejects.toBe(killed);
    // 60 users, batches of 16: 4 batches an epoch, a checkpoint after each but the last (the epoch's own).
    expect(written).toEqual(['1.1', '1.2', '1.3', '1', '2.1', '2.2', '2.3', '2', '3.1', '3.2']);
    const resumeFrom = await readCheckpointFile(file);
    expect(resumeFrom).toMatchObject({ epochsDone: 2, partialEpoch: { epoch: 3, batchesDone: 2 } });

    const batchesSeen: string[] = [];
    const finished = await trainFresh('resume-mid', data, {
      ...options,
      resumeFrom,
      onEvent: (event) => {
        if (event.type === 'batch-end' && event.epoch === 3) batchesSeen.push(String(event.batch));
      },
    });
    expect(batchesSeen).toEqual(['3', '4']);
    expectSameRun(finished, full);
  });

  it('rejects a negative checkpoint interval', async () => {
    const model = smallSasrec('interval');
    await expect(trainModel(model, syntheticData(), { checkpointIntervalSeconds: -1 })).rejects.toThrow(
      /checkpointIntervalSeconds: expected a number ≥ 0, got -1/,
    );
    model.dispose();
  });

  it('keeps the tensor count flat from epoch to epoch', async () => {
    const model = smallSasrec('flat');
    const counts: number[] = [];
    await trainModel(model, syntheticData(), {
      epochs: 4,
      batchSize: 16,
      learningRate: 0.01,
      seed: 1,
      onEvent: (event) => {
        if (event.type === 'epoch-end') counts.push(tf.memory().numTensors);
      },
    });
    expect(new Set(counts.slice(1)).size).toBe(1);
    model.dispose();
  });

  it('stops with TrainingDivergedError on a NaN loss and leaves the last good checkpoint', async () => {
    const model = smallSasrec('nan');
    const original = model.loss.bind(model);
    let calls = 0;
    const poisoned: RecommenderModel = {
      ...model,
      loss: (batch, context) =>
        ++calls > 6 ? tf.tidy(() => tf.mul(original(batch, context), NaN) as tf.Scalar) : original(batch, context),
    };
    const saved: TrainerCheckpoint[] = [];
    const run = trainModel(poisoned, syntheticData(), {
      epochs: 5,
      batchSize: 16,
      seed: 1,
      onCheckpoint: (checkpoint) => {
        saved.push(checkpoint);
      },
    });
    await expect(run).rejects.toThrow(TrainingDivergedError);
    await expect(run).rejects.toThrow(/epoch 2/);
    expect(saved.map((checkpoint) => checkpoint.epochsDone)).toEqual([1]);
    model.dispose();
  });

  it('fits pop by counting and needs no epochs', async () => {
    const pop = createPop({ numItems });
    const result = await trainModel(pop, syntheticData());
    expect(result.epochsRun).toBe(0);
    expect(result.test['hr@20']).toBeGreaterThanOrEqual(0);
  });

  it('weighs every scored position of an epoch the same in the steps and in the epoch loss (default batching)', async () => {
    // A linear model: loss = mean over the batch's scored positions of t·(1 + v), t the target id.
    const v = tf.variable(tf.zeros([1]), true, 'linear-v');
    const linear: RecommenderModel = {
      name: 'linear',
      numItems,
      maxLength: 10,
      variables: [v],
      config: {},
      loss: (batch) =>
        tf.tidy(() => {
          const targets = Array.from(batch.targets).filter((target) => target !== 0);
          return tf.mul(tf.add(1, v), targets.reduce((a, b) => a + b, 0) / targets.length).reshape([]) as tf.Scalar;
        }),
      scoreAll: (_histories, size) => tf.zeros([size, numItems + 1]),
      dispose: () => v.dispose(),
    };
    // SYNTHETIC skewed lengths: most users 3–4 items of ids 1–4, every fifth 9 items of ids 31–39.
    const sequences = Array.from({ length: 200 }, (_, user) =>
      user % 5 === 0
        ? Int32Array.from({ length: 9 }, (_, i) => 31 + i)
        : Int32Array.from({ length: 3 + (user % 2) }, (_, i) => 1 + i),
    );
    const sumTargets = (batch: TrainingBatch) => Array.from(batch.targets).reduce((a, b) => a + b, 0);
    const batches = makeTrainingBatches(makeTrainingWindows(sequences, 10), { batchSize: 16, seed: 1 });
    const meanScored = batches.reduce((sum, batch) => sum + batch.scoredCount, 0) / batches.length;
    for (const batch of batches) {
      // d/dv of the step's objective is Σ t over the batch's positions / the epoch's mean positions per batch.
      const { value, grads } = tf.variableGrads(() => stepObjective(linear, batch, { seed: 1 }), [v]);
      expect(grads['linear-v']!.dataSync()[0]).toBeCloseTo(sumTargets(batch) / meanScored, 3);
      tf.dispose([value, grads['linear-v']!]);
    }
    const data = {
      trainingSequences: sequences,
      valid: { histories: sequences, targets: new Int32Array(200).fill(1) },
      test: { histories: sequences, targets: new Int32Array(200).fill(1) },
    };
    const epochLoss = async (batching: BatchingStrategy) =>
      (await trainModel(linear, data, { epochs: 1, batchSize: 16, learningRate: 1e-12, batching })).history[0]!.loss;
    const all = makeTrainingWindows(sequences, 10).flatMap((window) =>
      Array.from(window.targets).filter((target) => target !== 0),
    );
    const perPosition = all.reduce((a, b) => a + b, 0) / all.length;
    expect(await epochLoss('length-bucketed-weighted')).toBeCloseTo(perPosition, 4);
    expect(await epochLoss('position-budget')).toBeCloseTo(perPosition, 4);
    // The old batching's epoch loss is the mean of batch means, which over-weighs short histories.
    const old = makeTrainingBatches(makeTrainingWindows(sequences, 10), {
      batchSize: 16,
      seed: deriveSeed(1, 1),
      strategy: 'length-bucketed',
    });
    const meanOfMeans = old.reduce((sum, batch) => sum + sumTargets(batch) / batch.scoredCount, 0) / old.length;
    expect(Math.abs(meanOfMeans - perPosition)).toBeGreaterThan(1);
    expect(await epochLoss('length-bucketed')).toBeCloseTo(meanOfMeans, 4);
    linear.dispose();
  });

  it("steps a batch over maxStepPositions as parts whose gradients add up to the whole batch's step", async () => {
    // Without dropout the accumulated step is the full batch's: the same losses, epoch after epoch.
    const deterministic = (name: string) =>
      createSasrec({
        numItems,
        hiddenSize: 16,
        innerSize: 32,
        maxLength: 10,
        dropout: 0,
        attentionDropout: 0,
        seed: 5,
        name,
      });
    const run = async (name: string, maxStepPositions?: number, unused?: tf.Variable) => {
      const built = deterministic(name);
      // A variable no loss reaches, listed first: Adam must still pair every other variable with its own moments.
      const model: RecommenderModel =
        unused === undefined ? built : { ...built, variables: [unused, ...built.variables] };
      const counts: number[] = [];
      try {
        const result = await trainModel(model, syntheticData(), {
          epochs: 3,
          batchSize: 16,
          learningRate: 0.01,
          seed: 1,
          ...(maxStepPositions === undefined ? {} : { maxStepPositions }),
          onEvent: (event) => {
            if (event.type === 'epoch-end') counts.push(tf.memory().numTensors);
          },
        });
        return { result, counts };
      } finally {
        model.dispose();
      }
    };
    const whole = await run('whole');
    const losses = (result: TrainingResult) => result.history.map((record) => record.loss);
    // 60 windows, batches of 16 × 6 positions and a last of 12 × 6: 40 cuts each into parts; 80 cuts the
    // full batches and leaves the last whole, so one run mixes both kinds of step.
    for (const [cap, unused] of [
      [40, undefined],
      [80, tf.variable(tf.zeros([3]), true, 'unused')],
    ] as const) {
      const parts = await run(`parts-${cap}`, cap, unused);
      losses(parts.result).forEach((loss, epoch) => {
        expect(loss).toBeCloseTo(losses(whole.result)[epoch]!, 4);
      });
      expect(parts.result.test['ndcg@10']).toBeCloseTo(whole.result.test['ndcg@10']!, 3);
      expect(new Set(parts.counts).size).toBe(1);
      unused?.dispose();
    }
    // With dropout the parts draw their own masks: a different, equally valid run.
    const a = await trainFresh('dropout-whole', syntheticData(), { epochs: 1, batchSize: 16, seed: 1 });
    const b = await trainFresh('dropout-parts', syntheticData(), {
      epochs: 1,
      batchSize: 16,
      seed: 1,
      maxStepPositions: 40,
    });
    expect(b.history[0]!.loss).not.toBe(a.history[0]!.loss);
  });

  it('rejects a maxStepPositions that is not a positive integer or comes with gradient shards', async () => {
    const model = smallSasrec('max-positions');
    await expect(trainModel(model, syntheticData(), { maxStepPositions: 0 })).rejects.toThrow(
      /maxStepPositions: expected a positive integer, got 0/,
    );
    await expect(trainModel(model, syntheticData(), { maxStepPositions: 2.5 })).rejects.toThrow(/maxStepPositions/);
    const shard = { gradients: () => Promise.reject(new Error('unused')), dispose: () => {} };
    await expect(trainModel(model, syntheticData(), { maxStepPositions: 40, gradientShards: [shard] })).rejects.toThrow(
      /maxStepPositions: cannot be combined with gradientShards/,
    );
    model.dispose();
  });

  it('rejects bad settings', async () => {
    const model = smallSasrec('bad');
    await expect(trainModel(model, syntheticData(), { epochs: 0 })).rejects.toThrow(/epochs/);
    await expect(trainModel(model, syntheticData(), { learningRate: -1 })).rejects.toThrow(/learningRate/);
    model.dispose();
  });
});
