import { join, resolve } from 'node:path';
import { selectBackend } from '@imecd/backend';
import { loadDataset, type SequenceDataset } from '@imecd/data-amazon';
import {
  checkWorkers,
  formatMetricsTable,
  formatProtocol,
  type NewRun,
  parseAssignments,
  type ResumedRun,
  type RunConfig,
  readJson,
  type TrainSummary,
  trainRuns,
} from '@imecd/experiments';
import {
  BACKEND_FLAGS,
  BACKEND_FLAGS_USAGE,
  backendOptions,
  DATASET_FLAGS,
  JSON_FLAG,
  parseFlags,
  parseInteger,
  parsePositiveInteger,
} from '../cli-args';
import type { CliIo } from '../cli-io';
import { resolveSettings } from '../presets';
import { MODELS } from '../registry';
import { loadRunDataset } from '../run-dataset';
import { progressLogger, runnerOptions } from '../runner';
import { resolveDatasetFolder } from '../shipped-datasets';
import { UsageError } from '../usage-error';

export const TRAIN_USAGE = `pnpm reproduce train --model NAME [--dataset NAME | --data-dir DIR] [options]

Trains a model (${MODELS.names.join(', ')}) with early stopping on validation NDCG@10 and reports
the test metrics of the best validation epoch (full ranking over all items).

  --epochs N            most epochs (default 200)
  --seed N | --seeds 1,2,3   one run per seed; several seeds report mean ± std
  --set key=value       any hyperparameter or trainer setting (repeatable); unknown keys are an error.
                        Trainer: batchSize, learningRate, patience, epochs, batching
                        (length-bucketed-weighted (default) | position-budget | length-bucketed | random),
                        maxStepPositions (0: no limit; above it a batch's gradient is summed over parts).
                        Models that read features: textInput, imageInput (auto (default): a modality's
                        item codes where the dataset has them, else its features | codes | features | none)
${BACKEND_FLAGS_USAGE}
  --resume RUN_DIR      continue a killed run from its last checkpoint
  --reuse               continue (or just report) the newest run in --out-dir with the same model,
                        dataset, seeds, settings and backend instead of starting a new one
  --jobs N              train up to N seeds at once, one process each (default 1; wasm runs one
                        core per process, so --jobs 2 uses both cores of a 2-core machine)
  --only-seed N         train only seed N of the run (one of its --seeds), leaving the others to
                        other processes: two such commands with --reuse share one run folder
  --workers N           split every training batch over N threads, each with its own backend
                        (default 1): one seed uses N cores. Models whose loss is a mean over
                        positions (sasrec, mm-fusion); the same steps as one thread up to dropout masks
  --checkpoint-every S  also checkpoint inside an epoch once S seconds passed since the last
                        checkpoint (default 300; 0: after every batch), so a kill loses at most
                        about S seconds of training; a resumed run continues at the next batch
  --out-dir DIR         where run folders go (default runs)
  --json                print one JSON object on stdout`;

/** The flags of `train`. */
function parseTrainArgs(args: string[]) {
  return parseFlags(args, {
    model: { type: 'string' },
    ...DATASET_FLAGS,
    epochs: { type: 'string' },
    seed: { type: 'string' },
    seeds: { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
    ...BACKEND_FLAGS,
    resume: { type: 'string' },
    reuse: { type: 'boolean', default: false },
    'out-dir': { type: 'string' },
    jobs: { type: 'string', default: '1' },
    workers: { type: 'string', default: '1' },
    'checkpoint-every': { type: 'string', default: '300' },
    'only-seed': { type: 'string' },
    ...JSON_FLAG,
  });
}

export async function runTrain(args: string[], io: CliIo): Promise<number> {
  const values = parseTrainArgs(args);
  const jobs = parsePositiveInteger('--jobs', values.jobs);
  // Seed processes and gradient worker threads (one thread each) share the cores.
  const workers = parsePositiveInteger('--workers', values.workers);
  const backend = backendOptions(values, io.env, jobs * workers);
  const selection = await selectBackend({ ...backend, env: io.env });
  const checkpointEvery = parseInteger('--checkpoint-every', values['checkpoint-every']);
  if (checkpointEvery < 0) throw new UsageError(`--checkpoint-every: expected seconds ≥ 0, got ${checkpointEvery}`);
  const onlySeed = values['only-seed'] === undefined ? undefined : parseInteger('--only-seed', values['only-seed']);
  const { run, dataset } =
    values.resume !== undefined ? await resumedRun(values.resume, io) : await newRun(values, workers, args, io);
  const { summary, config } = await trainRuns(
    {
      ...runnerOptions(io, selection.name, jobs, checkpointEvery, backend.threads),
      dataset,
      run,
      ...(onlySeed !== undefined && { onlySeed }),
    },
    { onEvent: progressLogger(io, onlySeed === undefined) },
  );
  if (summary === undefined) return 0; // a seed process of --jobs: the parent summarizes
  io.stdout(values.json ? `${JSON.stringify(summary)}\n` : renderSummary(summary, config));
  return 0;
}

/** `--resume RUN_DIR`: the run folder's config and the dataset it names. */
async function resumedRun(path: string, io: CliIo): Promise<{ run: ResumedRun; dataset: SequenceDataset }> {
  const runDir = resolve(io.cwd, path);
  const config = await readJson<RunConfig>(join(runDir, 'config.json'));
  return {
    run: { kind: 'resume', runDir, config },
    dataset: await loadRunDataset(config, io),
  };
}

/** A new run (or with --reuse, a matching one) from the flags, checked before any dataset is read. */
async function newRun(
  values: ReturnType<typeof parseTrainArgs>,
  workers: number,
  args: string[],
  io: CliIo,
): Promise<{ run: NewRun; dataset: SequenceDataset }> {
  const { model } = values;
  if (model === undefined) throw new UsageError(`train needs --model NAME (${MODELS.names.join(', ')})`);
  if (!MODELS.has(model)) throw new UsageError(`unknown model "${model}"; choose one of ${MODELS.names.join(', ')}`);
  const { name, dir } = resolveDatasetFolder(values, io);
  const settings = resolveSettings(name, model, parseAssignments(values.set));
  if (values.epochs !== undefined) settings.train.epochs = parsePositiveInteger('--epochs', values.epochs);
  const seeds =
    values.seeds !== undefined
      ? values.seeds.split(',').map((seed) => parseInteger('--seeds', seed))
      : [values.seed !== undefined ? parseInteger('--seed', values.seed) : 1];
  checkWorkers(MODELS, model, workers); // before any dataset is read or run folder made
  const dataset = await loadDataset(dir, { name });
  const outDir = resolve(io.cwd, values['out-dir'] ?? 'runs');
  const command = `pnpm reproduce train ${args.join(' ')}`;
  const run: NewRun = {
    kind: 'new',
    model,
    datasetName: name,
    datasetDir: dir,
    seeds,
    settings,
    workers,
    outDir,
    command,
  };
  return { run: { ...run, reuse: values.reuse }, dataset };
}

function renderSummary(summary: TrainSummary, config: RunConfig): string {
  const keys = ['hr@5', 'ndcg@5', 'hr@10', 'ndcg@10', 'hr@20', 'ndcg@20', 'mrr@20'];
  return [
    `${summary.model} on ${summary.dataset}, seeds ${summary.seeds.join(',')} (${summary.backend}; ${summary.secondsPerEpoch.toFixed(1)} s/epoch)`,
    formatProtocol(config.protocol),
    '',
    ...formatMetricsTable(summary, keys),
    '',
    `run folder: ${summary.runDir}`,
    '',
  ].join('\n');
}
