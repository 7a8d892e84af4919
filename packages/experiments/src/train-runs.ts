import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@imecd/core';
import { type SequenceDataset, splitLeaveOneOut } from '@imecd/data-amazon';
import { type GradientShard, TRAINER_SETTINGS, type TrainingResult, trainModel } from '@imecd/recommender';
import { readCheckpointFile, writeCheckpointFile } from '@imecd/recommender/node';
import { datasetFingerprint } from './dataset-fingerprint';
import { RunMismatchError } from './errors';
import { featureFingerprints, INPUT_SETTINGS, type InputSettings } from './feature-inputs';
import { findMatchingRun } from './matching-run';
import type { ModelRegistry } from './model-registry';
import { describeProtocol } from './protocol';
import {
  type RequestedSettings,
  type RunConfig,
  recordedInputs,
  recordedTrainSettings,
  runModalityInputs,
  type SeedMetrics,
  summarizeRun,
  type TrainSummary,
} from './run-config';
import { createRunDirectory, readJson, seedDirectory, writeJsonAtomic } from './run-directory';
import { type SeedProcesses, trainSeedsInProcesses } from './seed-processes';
import { checkWorkers, workersProblem } from './setting-assignments';
import type { ProgressListener, TrainRunsEvent } from './train-events';
import { createWorkerShards } from './worker-shards';

/** What trainRuns, tune and replicate share: which models exist and how seeds are trained. */
export interface RunnerOptions {
  /** The models a run may name. */
  registry: ModelRegistry;
  /** The backend the caller selected, by name: recorded in config.json, and what worker threads load. */
  backend: string;
  /** Written as environment.json of a new run folder (e.g. describeBackend() of @imecd/backend). Default: none. */
  environment?: unknown;
  /**
   * Also checkpoint inside an epoch once this many seconds passed since the last checkpoint (0:
   * after every batch), so a kill loses at most about this much training. Default 300.
   */
  checkpointEverySeconds?: number;
  /** Train seeds in child processes (see SeedProcesses). Default: every seed in this process. */
  seedProcesses?: SeedProcesses;
  /**
   * The worker-thread module for runs with `workers` > 1: it selects the thread's backend and calls
   * serveGradientShard. Asked for only when such a run trains. Default: none (such a run fails).
   */
  workerScript?: () => string | URL;
}

/** A run to start, or with `reuse`, to continue where a run of the same experiment stopped. */
export interface NewRun {
  kind: 'new';
  /** The registry name of the model. */
  model: string;
  /** The dataset's name and folder as the run records them; reuse compares the folder. */
  datasetName: string;
  datasetDir: string;
  /** One training per seed; several give mean ± std. */
  seeds: readonly number[];
  settings: RequestedSettings;
  /** Threads per seed; more than 1 needs a model with a splittable loss, and workerScript. Default 1. */
  workers?: number;
  /** The folder that holds run folders (`<UTC time>-<model>-<dataset>`). */
  outDir: string;
  /**
   * Continue (or only read) the newest run folder under outDir of the same model, dataset folder,
   * seeds, settings, backend, workers and features, instead of making a new one. Default false.
   */
  reuse?: boolean;
  /** The command line that made the run, written as command.txt of a new run folder. Default: none. */
  command?: string;
}

/** A run folder to continue from its checkpoints, with its config.json as openRun read it. */
export interface ResumedRun {
  kind: 'resume';
  runDir: string;
  config: RunConfig;
}

export interface TrainRunsOptions extends RunnerOptions {
  /** The loaded dataset: for a resumed run, the one its config names (its features are checked). */
  dataset: SequenceDataset;
  run: NewRun | ResumedRun;
  /** Train only this seed and write no summary: what a seed process does. Default: every seed. */
  onlySeed?: number;
}

export interface TrainRunsResult {
  runDir: string;
  config: RunConfig;
  /** The metrics of each seed trained or read, in the run's seed order. */
  perSeed: SeedMetrics[];
  /** Over every seed, as written to the run folder's metrics.json; undefined with onlySeed. */
  summary: TrainSummary | undefined;
}

type Emit = (event: TrainRunsEvent) => void;

/**
 * Trains one model over seeds in a run folder: early stopping on validation NDCG@10, test metrics
 * of the best validation epoch, per-user test ranks for paired tests. Every epoch's end (and every
 * `checkpointEverySeconds` inside one) is checkpointed atomically, so a killed run continues where
 * it stopped, and on the same backend ends with the same metrics as an uninterrupted one. Seeds
 * with metrics already are read, not trained again.
 */
export async function trainRuns(
  options: TrainRunsOptions,
  { onEvent = () => {} }: ProgressListener<TrainRunsEvent> = {},
): Promise<TrainRunsResult> {
  const { dataset, onlySeed, seedProcesses } = options;
  const runSeeds = options.run.kind === 'new' ? options.run.seeds : options.run.config.seeds;
  // Before any folder is made: a seed outside the run would train into a folder its config does not name.
  if (onlySeed !== undefined && !runSeeds.includes(onlySeed))
    throw new InvalidArgumentError('onlySeed', `${onlySeed} is not one of the run's seeds (${runSeeds.join(', ')})`);
  const { runDir, config, isNew } =
    options.run.kind === 'new'
      ? await openNewRun(options, options.run, onEvent)
      : checkResumedRun(options, options.run, onEvent);
  const maxLength = Number(config.hyperparameters.maxLength ?? 50);
  const split = splitLeaveOneOut(dataset, { maxHistory: maxLength });
  config.protocol = describeProtocol(dataset.numItems, maxLength);
  if (isNew) {
    await writeJsonAtomic(join(runDir, 'config.json'), config);
    if (options.run.kind === 'new' && options.run.command !== undefined)
      await writeFile(join(runDir, 'command.txt'), `${options.run.command}\n`);
    if (options.environment !== undefined) await writeJsonAtomic(join(runDir, 'environment.json'), options.environment);
  }
  const { backend } = options;
  onEvent({ type: 'run-ready', runDir, config, backend, users: dataset.numUsers, items: dataset.numItems, isNew });

  const trainedByProcesses =
    seedProcesses !== undefined && seedProcesses.jobs > 1 && onlySeed === undefined
      ? await trainSeedsInProcesses(runDir, config.seeds, seedProcesses, (seed, line) =>
          onEvent({ type: 'seed-process-output', seed, line }),
        )
      : [];
  const perSeed: SeedMetrics[] = [];
  for (const seed of onlySeed === undefined ? config.seeds : [onlySeed]) {
    const dir = seedDirectory(runDir, seed);
    await mkdir(dir, { recursive: true });
    const metricsFile = join(dir, 'metrics.json');
    if (existsSync(metricsFile)) {
      perSeed.push(await readJson<SeedMetrics>(metricsFile));
      const trainedBy = trainedByProcesses.includes(seed) ? 'seed-process' : 'earlier-run';
      onEvent({ type: 'seed-reused', runDir, seed, file: metricsFile, trainedBy });
      continue;
    }
    const metrics = await trainSeed(options, { runDir, config, split, seed, dir }, onEvent);
    perSeed.push(metrics);
    onEvent({ type: 'seed-finished', seed, metrics });
  }
  if (onlySeed !== undefined) return { runDir, config, perSeed, summary: undefined };
  const summary = summarizeRun(config, backend, runDir, perSeed);
  await writeJsonAtomic(join(runDir, 'metrics.json'), summary);
  return { runDir, config, perSeed, summary };
}

/** The config of a new run, and its folder: a matching one with reuse, else a new one. */
async function openNewRun(
  options: TrainRunsOptions,
  run: NewRun,
  onEvent: Emit,
): Promise<{ runDir: string; config: RunConfig; isNew: boolean }> {
  const { registry, dataset } = options;
  const { capabilities, settings } = registry.get(run.model);
  const { train, hyperparameters, inputs, presetNote } = run.settings;
  const workers = run.workers ?? 1;
  // Before any folder is made: a run that cannot train leaves nothing behind.
  checkWorkers(registry, run.model, workers);
  const resolved = settings.resolve(hyperparameters, run.model);
  const config: RunConfig = {
    model: run.model,
    dataset: run.datasetName,
    datasetDir: run.datasetDir,
    data: datasetFingerprint(dataset),
    seeds: [...run.seeds],
    train: TRAINER_SETTINGS.resolve(train, 'the trainer'),
    hyperparameters: resolved,
    presetNote: presetNote ?? 'the defaults of the trainer and the model, with the values given',
    backend: options.backend,
    protocol: describeProtocol(0, Number(resolved.maxLength ?? 50)),
    ...(workers > 1 ? { workers } : {}),
    ...(capabilities.readsFeatures && featureRecord(dataset, INPUT_SETTINGS.resolve(inputs ?? {}, 'the inputs'))),
  };
  const reused = run.reuse ? await findMatchingRun(registry, run.outDir, config) : undefined;
  if (reused !== undefined) onEvent({ type: 'run-reused', runDir: reused });
  const runDir = reused ?? (await createRunDirectory(run.outDir, run.model, run.datasetName));
  return { runDir, config, isNew: !existsSync(join(runDir, 'config.json')) };
}

/** What a new run of a model that reads features records of them: the inputs chosen and their fingerprints. */
function featureRecord(dataset: SequenceDataset, inputs: InputSettings): Pick<RunConfig, 'inputs' | 'features'> {
  return { inputs, features: featureFingerprints(dataset, inputs) };
}

/** A resumed run's folder and config, once its features and workers are known to fit. */
function checkResumedRun(
  { registry, dataset, backend }: TrainRunsOptions,
  { runDir, config }: ResumedRun,
  onEvent: Emit,
): { runDir: string; config: RunConfig; isNew: false } {
  if (config.backend !== backend)
    onEvent({ type: 'backend-changed', runDir, recorded: config.backend, current: backend });
  if (config.data !== undefined && config.data !== datasetFingerprint(dataset))
    throw new RunMismatchError(
      `${runDir}: the interactions in ${config.datasetDir} changed since this run started; start a new run instead of resuming this one`,
    );
  if (config.features !== undefined) {
    const now = featureFingerprints(dataset, recordedInputs(config));
    const changed = Object.keys({ ...config.features, ...now }).filter(
      (modality) => config.features![modality] !== now[modality],
    );
    if (changed.length > 0)
      throw new RunMismatchError(
        `${runDir}: the ${changed.join(' and ')} features in ${config.datasetDir} changed since this run started; start a new run instead of resuming this one`,
      );
  }
  const problem = workersProblem(registry, config.model, config.workers ?? 1);
  if (problem !== undefined) throw new RunMismatchError(`${runDir}: ${problem}`);
  return { runDir, config: { ...config }, isNew: false };
}

/** Trains one seed from its checkpoint (if any) to its metrics, test ranks and history. */
async function trainSeed(
  options: TrainRunsOptions,
  run: { runDir: string; config: RunConfig; split: ReturnType<typeof splitLeaveOneOut>; seed: number; dir: string },
  onEvent: Emit,
): Promise<SeedMetrics> {
  const { registry, dataset } = options;
  const { config, split, seed, dir } = run;
  const checkpointFile = join(dir, 'checkpoint.bin');
  const resumeFrom = existsSync(checkpointFile) ? await readCheckpointFile(checkpointFile) : undefined;
  if (resumeFrom) {
    const { epochsDone, partialEpoch } = resumeFrom;
    onEvent({ type: 'seed-resumed', seed, epochsDone, ...(partialEpoch && { partialEpoch }) });
  }
  // A run made before a setting was recorded continues with the value it started with.
  const hyperparameters = registry.recordedHyperparameters(config.model, config.hyperparameters);
  const inputs = runModalityInputs(registry, config, dataset);
  const model = registry.create(config.model, { numItems: dataset.numItems, seed, hyperparameters, inputs });
  let result: TrainingResult;
  let gradientShards: GradientShard[] = [];
  try {
    const workers = config.workers ?? 1;
    if (workers > 1) {
      const script = options.workerScript?.();
      if (script === undefined)
        throw new InvalidArgumentError('workerScript', `a run with ${workers} workers needs the worker-thread module`);
      const setup = { backend: options.backend, model: config.model, numItems: dataset.numItems, seed };
      gradientShards = await createWorkerShards(script, workers - 1, { ...setup, hyperparameters, inputs });
    }
    const { maxStepPositions, ...trainSettings } = recordedTrainSettings(config.train);
    result = await trainModel(
      model,
      {
        trainingSequences: split.train.sequences,
        fullSequences: dataset.sequences,
        valid: split.valid,
        test: split.test,
      },
      {
        ...trainSettings,
        ...(maxStepPositions > 0 ? { maxStepPositions } : {}),
        seed,
        ...(resumeFrom ? { resumeFrom } : {}),
        gradientShards,
        checkpointIntervalSeconds: options.checkpointEverySeconds ?? 300,
        onEvent: (event) => onEvent({ type: 'training', seed, event }),
        onCheckpoint: async (checkpoint) => {
          await writeCheckpointFile(checkpointFile, checkpoint);
          const lines = checkpoint.history.map((record) => JSON.stringify(record));
          await writeFile(join(dir, 'history.ndjson'), `${lines.join('\n')}\n`);
        },
      },
    );
  } finally {
    model.dispose();
    await Promise.all(gradientShards.map((shard) => shard.dispose()));
  }
  const { valid, test, bestEpoch, epochsRun, secondsPerEpoch } = result;
  const metrics: SeedMetrics = { seed, valid, test, bestEpoch, epochsRun, secondsPerEpoch };
  await writeJsonAtomic(join(dir, 'test-ranks.json'), Array.from(result.testRanks));
  await writeJsonAtomic(join(dir, 'metrics.json'), metrics);
  return metrics;
}
