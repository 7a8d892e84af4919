import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { type BackendChoice, describeBackend, selectBackend } from '@imecd/backend';
import { ImecdError } from '@imecd/core';
import { loadDataset, type SequenceDataset, splitLeaveOneOut } from '@imecd/data-amazon';
import { featureFingerprints, type Hyperparameters, modalityInputs } from '@imecd/experiments';
import { aggregateRuns, type MeanStd } from '@imecd/metrics';
import {
  type GradientShard,
  type MetricValues,
  readCheckpointFile,
  type TrainingResult,
  trainModel,
  writeCheckpointFile,
} from '@imecd/recommender';
import { parseInteger, parsePositiveInteger, parseSetFlags } from '../cli-args';
import type { CliIo } from '../cli-io';
import { findMatchingRun } from '../matching-run';
import { formatMetricCell } from '../metric-cell';
import { recordedTrainSettings, resolveSettings, type TrainSettings } from '../presets';
import { createProgressBar } from '../progress-bar';
import { describeProtocol, formatProtocol, type ProtocolDescription } from '../protocol';
import { MODELS } from '../registry';
import { createRunDirectory, readJson, seedDirectory, writeJsonAtomic } from '../run-directory';
import { resolveDatasetFolder } from '../shipped-datasets';
import { UsageError } from '../usage-error';
import { createWorkerShards } from '../worker-shards';

export const TRAIN_USAGE = `pnpm reproduce train --model NAME [--dataset NAME | --data-dir DIR] [options]

Trains a model (${MODELS.names.join(', ')}) with early stopping on validation NDCG@10 and reports
the test metrics of the best validation epoch (full ranking over all items).

  --epochs N            most epochs (default 200)
  --seed N | --seeds 1,2,3   one run per seed; several seeds report mean ± std
  --set key=value       any hyperparameter or trainer setting (repeatable); unknown keys are an error.
                        Trainer: batchSize, learningRate, patience, epochs, batching
                        (length-bucketed-weighted (default) | position-budget | length-bucketed | random),
                        maxStepPositions (0: no limit; above it a batch's gradient is summed over parts)
  --backend NAME        auto | tensorflow-gpu | tensorflow | wasm | cpu (default: IMECD_BACKEND or auto)
  --resume RUN_DIR      continue a killed run from its last checkpoint
  --reuse               continue (or just report) the newest run in --out-dir with the same model,
                        dataset, seeds, settings and backend instead of starting a new one
  --jobs N              train up to N seeds at once, one process each (default 1; wasm runs one
                        core per process, so --jobs 2 uses both cores of a 2-core machine)
  --workers N           split every training batch over N threads, each with its own backend
                        (default 1): one seed uses N cores. Models whose loss is a mean over
                        positions only (sasrec); the same steps as one thread up to dropout masks
  --checkpoint-every S  also checkpoint inside an epoch once S seconds passed since the last
                        checkpoint (default 300; 0: after every batch), so a kill loses at most
                        about S seconds of training; a resumed run continues at the next batch
  --out-dir DIR         where run folders go (default runs)
  --json                print one JSON object on stdout`;

/** What a run folder's config.json holds: enough to resume or to rebuild the model. */
export interface RunConfig {
  model: string;
  dataset: string;
  datasetDir: string;
  seeds: number[];
  train: TrainSettings;
  hyperparameters: Hyperparameters;
  presetNote: string;
  backend: string;
  protocol: ProtocolDescription;
  /** Threads per seed (train --workers); absent means 1. Dropout masks depend on it. */
  workers?: number;
  /** Models that read features: each modality's fingerprint (see featureFingerprints). */
  features?: Record<string, string>;
}

export interface SeedMetrics {
  seed: number;
  valid: MetricValues;
  test: MetricValues;
  bestEpoch: number;
  epochsRun: number;
  secondsPerEpoch: number;
}

/** The models whose loss may be split over worker threads (their declared capability). */
const splittableModels = () => MODELS.names.filter((name) => MODELS.get(name).capabilities.splittableLoss);

export async function runTrain(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      dataset: { type: 'string' },
      'data-dir': { type: 'string' },
      epochs: { type: 'string' },
      seed: { type: 'string' },
      seeds: { type: 'string' },
      set: { type: 'string', multiple: true },
      backend: { type: 'string' },
      resume: { type: 'string' },
      reuse: { type: 'boolean', default: false },
      'out-dir': { type: 'string' },
      jobs: { type: 'string', default: '1' },
      workers: { type: 'string', default: '1' },
      'checkpoint-every': { type: 'string', default: '300' },
      'only-seed': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });

  const selection = await selectBackend({
    ...(values.backend ? { backend: values.backend as BackendChoice } : {}),
    env: io.env,
  });
  let runDir: string;
  let config: RunConfig;
  let loaded: SequenceDataset | undefined;
  if (values.resume !== undefined) {
    runDir = resolve(io.cwd, values.resume);
    config = await readJson<RunConfig>(join(runDir, 'config.json'));
    if (config.backend !== selection.name) {
      io.stderr(
        `warning: this run started on ${config.backend} and resumes on ${selection.name}; results can differ slightly\n`,
      );
    }
  } else {
    const model = values.model;
    if (model === undefined) throw new UsageError(`train needs --model NAME (${MODELS.names.join(', ')})`);
    if (!MODELS.has(model)) throw new UsageError(`unknown model "${model}"; choose one of ${MODELS.names.join(', ')}`);
    const { name, dir } = resolveDatasetFolder(
      { dataset: values.dataset, dataDir: values['data-dir'] },
      io.env,
      io.cwd,
    );
    const settings = resolveSettings(name, model, parseSetFlags(values.set ?? []));
    if (values.epochs !== undefined) settings.train.epochs = parsePositiveInteger('--epochs', values.epochs);
    const seeds =
      values.seeds !== undefined
        ? values.seeds.split(',').map((seed) => parseInteger('--seeds', seed))
        : [values.seed !== undefined ? parseInteger('--seed', values.seed) : 1];
    const workers = parsePositiveInteger('--workers', values.workers);
    // Checked on the model's declared capability, before any dataset is read or run folder made.
    if (workers > 1 && !MODELS.get(model).capabilities.splittableLoss) {
      throw new UsageError(
        `--workers splits batches across threads, which only ${splittableModels()
          .map((name) => `${name}'s`)
          .join(
            ' and ',
          )} loss allows (${model} has terms computed across a batch); use --jobs to train seeds in parallel instead`,
      );
    }
    loaded = await loadDataset(dir, { name });
    config = {
      model,
      dataset: name,
      datasetDir: dir,
      seeds,
      ...settings,
      backend: selection.name,
      protocol: describeProtocol(0, Number(settings.hyperparameters.maxLength ?? 50)),
      ...(workers > 1 ? { workers } : {}),
      ...(MODELS.get(model).capabilities.readsFeatures ? { features: featureFingerprints(loaded) } : {}),
    };
    const runsRoot = resolve(io.cwd, values['out-dir'] ?? 'runs');
    const reused = values.reuse ? await findMatchingRun(runsRoot, config) : undefined;
    if (reused !== undefined) {
      runDir = reused;
      io.stderr(`reusing ${runDir} (same model, dataset, seeds, settings and backend)\n`);
    } else {
      runDir = await createRunDirectory(runsRoot, model, name);
    }
  }
  const isNewRun = values.resume === undefined && !existsSync(join(runDir, 'config.json'));

  const dataset = loaded ?? (await loadDataset(config.datasetDir, { name: config.dataset }));
  // A new or --reuse'd run just fingerprinted `loaded`; only a --resume'd one reads its features anew.
  if (loaded === undefined && config.features !== undefined) {
    const now = featureFingerprints(dataset);
    const changed = Object.keys({ ...config.features, ...now }).filter(
      (modality) => config.features![modality] !== now[modality],
    );
    if (changed.length > 0) {
      throw new UsageError(
        `${runDir}: the ${changed.join(' and ')} features in ${config.datasetDir} changed since this run started; start a new run instead of resuming this one`,
      );
    }
  }
  const maxLength = Number(config.hyperparameters.maxLength ?? 50);
  const split = splitLeaveOneOut(dataset, { maxHistory: maxLength });
  config.protocol = describeProtocol(dataset.numItems, maxLength);
  if (isNewRun) {
    await writeJsonAtomic(join(runDir, 'config.json'), config);
    await writeFile(join(runDir, 'command.txt'), `pnpm reproduce train ${args.join(' ')}\n`);
    await writeJsonAtomic(join(runDir, 'environment.json'), describeBackend());
  }
  if (values['only-seed'] === undefined)
    io.stderr(
      `${config.model} on ${config.dataset} (${dataset.numUsers} users, ${dataset.numItems} items) · backend ${selection.name} · run ${runDir}\n`,
    );

  const jobs = parsePositiveInteger('--jobs', values.jobs);
  const checkpointEvery = parseInteger('--checkpoint-every', values['checkpoint-every']);
  if (checkpointEvery < 0) throw new UsageError(`--checkpoint-every: expected seconds ≥ 0, got ${checkpointEvery}`);
  const onlySeed = values['only-seed'] === undefined ? undefined : parseInteger('--only-seed', values['only-seed']);
  // Seeds trained by worker processes of this command, so the loop below can say so.
  const trainedByWorkers =
    jobs > 1 && onlySeed === undefined
      ? await trainSeedsInProcesses(runDir, config.seeds, jobs, selection.name, checkpointEvery, io)
      : [];

  const perSeed: SeedMetrics[] = [];
  for (const seed of onlySeed === undefined ? config.seeds : [onlySeed]) {
    const dir = seedDirectory(runDir, seed);
    await mkdir(dir, { recursive: true });
    if (existsSync(join(dir, 'metrics.json'))) {
      perSeed.push(await readJson<SeedMetrics>(join(dir, 'metrics.json')));
      io.stderr(
        trainedByWorkers.includes(seed)
          ? `seed ${seed}: trained by its worker process (${join(dir, 'metrics.json')})\n`
          : `seed ${seed}: finished in an earlier run of ${runDir}; its metrics are reused\n`,
      );
      continue;
    }
    const checkpointFile = join(dir, 'checkpoint.bin');
    const resumeFrom = existsSync(checkpointFile) ? await readCheckpointFile(checkpointFile) : undefined;
    if (resumeFrom) {
      const part = resumeFrom.partialEpoch;
      io.stderr(
        `seed ${seed}: resuming ${part ? `in epoch ${part.epoch} after batch ${part.batchesDone}` : `after epoch ${resumeFrom.epochsDone}`}\n`,
      );
    }
    const model = MODELS.create(config.model, {
      numItems: dataset.numItems,
      seed,
      hyperparameters: MODELS.recordedHyperparameters(config.model, config.hyperparameters),
      inputs: modalityInputs(dataset),
    });
    let bar = createProgressBar(io);
    let result: TrainingResult;
    let gradientShards: GradientShard[] = [];
    try {
      const workers = config.workers ?? 1;
      if (workers > 1) {
        if (!MODELS.get(config.model).capabilities.splittableLoss)
          throw new UsageError(
            `${runDir}: --workers (${workers}) is only for ${splittableModels().join(', ')}, not ${config.model}`,
          );
        gradientShards = await createWorkerShards(workers - 1, {
          backend: selection.name,
          model: config.model,
          numItems: dataset.numItems,
          seed,
          hyperparameters: config.hyperparameters,
        });
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
          // A run made before a setting was recorded resumes with the value it started with.
          ...trainSettings,
          ...(maxStepPositions > 0 ? { maxStepPositions } : {}),
          seed,
          ...(resumeFrom ? { resumeFrom } : {}),
          gradientShards,
          checkpointIntervalSeconds: checkpointEvery,
          onEvent: (event) => {
            if (event.type === 'epoch-start') {
              bar = createProgressBar(io);
            } else if (event.type === 'batch-end') {
              bar.update({
                label: `seed ${seed} epoch ${event.epoch}`,
                done: event.batch,
                total: event.batches,
                detail: `loss ${event.loss.toFixed(4)}`,
              });
            } else if (event.type === 'epoch-end') {
              const { record } = event;
              bar.finish({
                label: `seed ${seed} epoch ${record.epoch}`,
                done: event.batches,
                total: event.batches,
                detail: `loss ${record.loss.toFixed(4)}`,
              });
              io.stderr(
                `  valid ndcg@10 ${(record.valid['ndcg@10'] ?? 0).toFixed(4)} hr@10 ${(record.valid['hr@10'] ?? 0).toFixed(4)}` +
                  `${event.improved ? ' (best)' : ` (best: epoch ${event.bestEpoch})`} · ${record.seconds.toFixed(1)}s\n`,
              );
            } else if (event.type === 'early-stop') {
              io.stderr(
                `  early stop: no better validation NDCG@10 for ${event.patience} epochs; keeping epoch ${event.bestEpoch}\n`,
              );
            }
          },
          onCheckpoint: async (checkpoint) => {
            await writeCheckpointFile(checkpointFile, checkpoint);
            await writeFile(
              join(dir, 'history.ndjson'),
              `${checkpoint.history.map((record) => JSON.stringify(record)).join('\n')}\n`,
            );
          },
        },
      );
    } finally {
      model.dispose();
      await Promise.all(gradientShards.map((shard) => shard.dispose()));
    }
    const metrics: SeedMetrics = {
      seed,
      valid: result.valid,
      test: result.test,
      bestEpoch: result.bestEpoch,
      epochsRun: result.epochsRun,
      secondsPerEpoch: result.secondsPerEpoch,
    };
    await writeJsonAtomic(join(dir, 'test-ranks.json'), Array.from(result.testRanks));
    await writeJsonAtomic(join(dir, 'metrics.json'), metrics);
    perSeed.push(metrics);
  }

  if (onlySeed !== undefined) return 0; // a worker of --jobs: the parent summarizes
  const summary = summarize(config, selection.name, runDir, perSeed);
  await writeJsonAtomic(join(runDir, 'metrics.json'), summary);
  io.stdout(values.json ? `${JSON.stringify(summary)}\n` : renderSummary(summary, config));
  return 0;
}

/**
 * Trains seeds in child processes of this CLI, at most `jobs` at once. Each child resumes the run
 * folder for one seed, so the folder layout, checkpoints and resume behave exactly as in one
 * process; the parent then reads every seed's metrics.json. Returns the seeds the children trained.
 */
async function trainSeedsInProcesses(
  runDir: string,
  seeds: number[],
  jobs: number,
  backend: string,
  checkpointEvery: number,
  io: CliIo,
): Promise<number[]> {
  const pending = seeds.filter((seed) => !existsSync(join(seedDirectory(runDir, seed), 'metrics.json')));
  const failures: string[] = [];
  const runOne = (seed: number) =>
    new Promise<void>((done) => {
      const child = spawn(
        process.execPath,
        [
          process.argv[1]!,
          'train',
          '--resume',
          runDir,
          '--only-seed',
          String(seed),
          '--backend',
          backend,
          '--checkpoint-every',
          String(checkpointEvery),
        ],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...io.env, CI: 'true' }, // plain progress lines from children
        },
      );
      // A child's own lines mostly start with "seed N" already; only the others get the tag.
      createInterface({ input: child.stderr }).on('line', (line) =>
        io.stderr(
          line.startsWith(`seed ${seed} `) || line.startsWith(`seed ${seed}:`)
            ? `${line}\n`
            : `[seed ${seed}] ${line}\n`,
        ),
      );
      child.on('close', (code) => {
        if (code !== 0) failures.push(`seed ${seed} exited with code ${code}`);
        done();
      });
    });
  const queue = [...pending];
  await Promise.all(
    Array.from({ length: Math.min(jobs, queue.length) }, async () => {
      for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) await runOne(seed);
    }),
  );
  if (failures.length) throw new TrainingJobsError(failures, runDir);
  return pending;
}

class TrainingJobsError extends ImecdError {
  constructor(failures: string[], runDir: string) {
    super('TRAINING_JOBS', `${failures.join('; ')}. Finished seeds are kept; continue with --resume ${runDir}`);
  }
}

/** What `train --json` prints and run folders keep as metrics.json. */
export type TrainSummary = ReturnType<typeof summarize>;

/**
 * Runs `train` with `args` (plus --json) and returns its summary; progress still goes to stderr.
 * For commands made of train runs (replicate, tune). A non-zero exit code comes back as `code`.
 */
export async function runTrainCaptured(args: string[], io: CliIo): Promise<{ code: number; summary?: TrainSummary }> {
  let captured = '';
  const code = await runTrain([...args, '--json'], {
    ...io,
    stdout: (text) => {
      captured += text;
    },
  });
  return code === 0 ? { code, summary: JSON.parse(captured) as TrainSummary } : { code };
}

function summarize(config: RunConfig, backend: string, runDir: string, perSeed: SeedMetrics[]) {
  const pick = (part: 'valid' | 'test') => {
    const runs = perSeed.map((run) => run[part] as Record<string, number>);
    return perSeed.length === 1 ? runs[0]! : aggregateRuns(runs);
  };
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    model: config.model,
    dataset: config.dataset,
    backend,
    protocol: config.protocol,
    seeds: config.seeds,
    valid: pick('valid'),
    test: pick('test'),
    epochs: perSeed.map((run) => run.epochsRun),
    bestEpochs: perSeed.map((run) => run.bestEpoch),
    secondsPerEpoch: mean(perSeed.map((run) => run.secondsPerEpoch)),
    hyperparameters: config.hyperparameters,
    train: config.train,
    runDir,
  };
}

function renderSummary(summary: ReturnType<typeof summarize>, config: RunConfig): string {
  const keys = ['hr@5', 'ndcg@5', 'hr@10', 'ndcg@10', 'hr@20', 'ndcg@20', 'mrr@20'];
  const rows = (['valid', 'test'] as const).map((part) => {
    const metrics = summary[part] as Record<string, number | MeanStd>;
    return `| ${part} | ${keys.map((key) => formatMetricCell(metrics[key])).join(' | ')} |`;
  });
  return [
    `${summary.model} on ${summary.dataset}, seeds ${summary.seeds.join(',')} (${summary.backend}; ${summary.secondsPerEpoch.toFixed(1)} s/epoch)`,
    formatProtocol(config.protocol),
    '',
    `| split | ${keys.join(' | ')} |`,
    `|---|${keys.map(() => '---').join('|')}|`,
    ...rows,
    '',
    `run folder: ${summary.runDir}`,
    '',
  ].join('\n');
}
