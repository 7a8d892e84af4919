import { deriveSeed, ImecdError, InvalidArgumentError } from '@imecd/core';
import { restoreVariables, serializeVariables } from '@imecd/nn';
import * as tf from '@tensorflow/tfjs-core';
import { type EvaluationSet, evaluateFullRanking } from './evaluate-full-ranking';
import type { RecommenderModel } from './model-contract';
import { checkpointOf, type PartialEpoch, startingState } from './trainer-checkpoint';
import type { EpochRecord, MetricValues } from './trainer-events';
import { resolveTrainerOptions, type TrainerOptions, type TrainingData } from './trainer-options';
import { localStep, shardedStep } from './trainer-step';
import { makeTrainingBatches, makeTrainingWindows } from './training-batches';

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
  const opts = resolveTrainerOptions(model, options);
  const evaluate = (set: EvaluationSet) => evaluateFullRanking(model, set, opts.evaluation);

  if (model.fit) {
    model.fit({
      trainingSequences: data.trainingSequences,
      ...(data.fullSequences ? { fullSequences: data.fullSequences } : {}),
    });
    const valid = evaluate(data.valid);
    const test = evaluate(data.test);
    opts.onEvent({ type: 'run-end', bestEpoch: 0, valid: valid.metrics, test: test.metrics });
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
  const optimizer = tf.train.adam(opts.learningRate);
  let state = await startingState(model, optimizer, opts.resumeFrom);
  // Batches of the first epoch that a checkpoint written inside it already applied.
  let resumedPart =
    opts.resumeFrom?.partialEpoch?.epoch === state.epochsDone + 1 ? opts.resumeFrom.partialEpoch : undefined;
  let lastCheckpoint = performance.now();
  /** Hands onCheckpoint the current state (inside an epoch: with `partialEpoch`) and restarts the interval. */
  const writeCheckpoint = async (
    save: NonNullable<TrainerOptions['onCheckpoint']>,
    partialEpoch?: PartialEpoch,
  ): Promise<void> => {
    await save(await checkpointOf(state, model, optimizer, partialEpoch));
    lastCheckpoint = performance.now();
  };

  let stoppedEarly = false;
  try {
    for (let epoch = state.epochsDone + 1; epoch <= opts.epochs; epoch++) {
      if (state.epochsWithoutImprovement >= opts.patience) break;
      // A resumed epoch's clock starts with the seconds its first part took before the kill.
      const started = performance.now() - (resumedPart?.trainSeconds ?? 0) * 1000;
      const batches = makeTrainingBatches(windows, {
        batchSize: opts.batchSize,
        seed: deriveSeed(opts.seed, epoch),
        strategy: opts.batching,
      });
      opts.onEvent({ type: 'epoch-start', epoch, epochs: opts.epochs, batches: batches.length });
      // Σ over batches of lossWeight × the batch's mean loss: / batches it is the epoch's mean over positions.
      let lossSum = resumedPart?.lossSum ?? 0;
      for (let index = resumedPart?.batchesDone ?? 0; index < batches.length; index++) {
        const batch = batches[index]!;
        const stepSeed = deriveSeed(opts.seed, epoch, index);
        const value =
          opts.gradientShards.length === 0
            ? localStep(model, optimizer, batch, stepSeed, opts.maxStepPositions)
            : await shardedStep(model, optimizer, batch, stepSeed, opts.gradientShards);
        if (!Number.isFinite(value)) throw new TrainingDivergedError(epoch, index + 1, value);
        lossSum += value * (batch.lossWeight ?? 1);
        opts.onEvent({ type: 'batch-end', epoch, batch: index + 1, batches: batches.length, loss: value });
        const due =
          opts.checkpointIntervalSeconds !== undefined &&
          performance.now() - lastCheckpoint >= opts.checkpointIntervalSeconds * 1000;
        if (opts.onCheckpoint && due && index + 1 < batches.length) {
          await writeCheckpoint(opts.onCheckpoint, {
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
      const score = valid[opts.selectMetric];
      if (score === undefined)
        throw new InvalidArgumentError('selectMetric', `${opts.selectMetric} is not among the evaluated metrics`);
      const improved = score > state.bestScore;
      state = {
        epochsDone: epoch,
        bestEpoch: improved ? epoch : state.bestEpoch,
        bestScore: improved ? score : state.bestScore,
        epochsWithoutImprovement: improved ? 0 : state.epochsWithoutImprovement + 1,
        history: [...state.history, record],
        bestWeights: improved ? serializeVariables(model.variables) : state.bestWeights,
      };
      opts.onEvent({
        type: 'epoch-end',
        record,
        batches: batches.length,
        improved,
        bestEpoch: state.bestEpoch,
        bestScore: state.bestScore,
      });
      if (opts.onCheckpoint) await writeCheckpoint(opts.onCheckpoint);
      if (state.epochsWithoutImprovement >= opts.patience && epoch < opts.epochs) {
        stoppedEarly = true;
        opts.onEvent({ type: 'early-stop', epoch, bestEpoch: state.bestEpoch, patience: opts.patience });
      }
    }
  } finally {
    optimizer.dispose();
  }

  restoreVariables(model.variables, state.bestWeights);
  const best = state.history.find((record) => record.epoch === state.bestEpoch);
  const test = evaluate(data.test);
  const valid = best?.valid ?? evaluate(data.valid).metrics;
  opts.onEvent({ type: 'run-end', bestEpoch: state.bestEpoch, valid, test: test.metrics });
  const seconds = state.history.map((record) => record.seconds);
  return {
    bestEpoch: state.bestEpoch,
    epochsRun: state.epochsDone,
    valid,
    test: test.metrics,
    testRanks: test.ranks,
    history: state.history,
    secondsPerEpoch: seconds.length ? seconds.reduce((a, b) => a + b, 0) / seconds.length : 0,
    stoppedEarly: stoppedEarly || state.epochsWithoutImprovement >= opts.patience,
  };
}
