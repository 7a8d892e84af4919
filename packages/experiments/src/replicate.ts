import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { InvalidArgumentError } from '@imecd/core';
import type { SequenceDataset } from '@imecd/data-amazon';
import { TRAINER_SETTINGS } from '@imecd/recommender';
import { INPUT_SETTINGS } from './feature-inputs';
import { computeImprovement } from './improvement';
import type { Hyperparameters, ModelRegistry } from './model-registry';
import { type ReplicationReport, renderReplicationMarkdown } from './replication-report';
import { type RequestedSettings, recordedTrainSettings, type TrainSummary } from './run-config';
import type { ProgressListener, TrainRunsEvent } from './train-events';
import { type RunnerOptions, trainRuns } from './train-runs';
import { readTrainingCurve, renderCurvesSvg, type TrainingCurve } from './training-curves';

/** The metrics of the paired significance tests between the proposed model and each baseline. */
const SIGNIFICANCE_METRICS = ['hr@10', 'ndcg@10', 'hr@20', 'ndcg@20'] as const;
/** The ablation table's metric, tested the same way against the full model. */
const ABLATION_METRICS = ['ndcg@10'] as const;

export interface ReplicateOptions extends RunnerOptions {
  /** The loaded dataset, and its name and folder as runs record them. */
  dataset: SequenceDataset;
  datasetName: string;
  datasetDir: string;
  /** The models to train, in table order: baselines, the proposed model, its ablations (`<proposed>-…`). */
  models: readonly string[];
  seeds: readonly number[];
  /** The folder of run folders. */
  outDir: string;
  /** Continue (or only read) runs of the same experiments in outDir: a killed replication picks up where it stopped. Default false. */
  reuse?: boolean;
  /** One model's settings (the caller's defaults and presets). */
  settingsFor(model: string): RequestedSettings;
  /** command.txt of a model's new run folder. Default: none. */
  commandFor?(model: string): string;
  /** The model the tables are about; models named `<proposed>-…` are its ablations. Default 'imecd'. */
  proposed?: string;
  /** A smoke run (the caller caps its epochs): said in the title, written as `<dataset>.quick.*`. Default false. */
  quick?: boolean;
  /** The command line the report names. Default: none. */
  command?: string;
  /** Where `<dataset>.md`, `.json` and `.curves.svg` are written. Default: nowhere. */
  reportDir?: string;
  /**
   * The files' stem instead of the dataset's name, for a table beside the dataset's main one (e.g.
   * `scientific-sasrec-bce`): letters, digits, '.', '_' and '-', starting with a letter or digit (`isReportName`),
   * so the files stay inside `reportDir`; `.quick` is still added to a smoke run's. Default: the dataset's name.
   */
  reportName?: string;
}

/** Whether `name` can be a report's file stem (`ReplicateOptions.reportName`): no path, nothing hidden. */
export function isReportName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name);
}

/** Progress of a replication: each model's start, and its training's own events after it. */
export type ReplicateEvent = { type: 'model-start'; index: number; total: number; model: string } | TrainRunsEvent;

/**
 * The paper's experiment: trains each model over the seeds, then the main table (baselines and the
 * proposed model, its relative improvement over the best baseline with paired t-test and Wilcoxon
 * p-values over test users), the ablation table (each ablation's change of test NDCG@10 against the full
 * model, with the same paired t-test) and the validation curves.
 */
export async function replicate(
  options: ReplicateOptions,
  { onEvent = () => {} }: ProgressListener<ReplicateEvent> = {},
): Promise<{ report: ReplicationReport; markdown: string; files: string[] }> {
  const { models, datasetName } = options;
  if (models.length === 0) throw new InvalidArgumentError('models', 'expected at least one model');
  // Checked before hours of training, not when the files are written.
  if (options.reportName !== undefined && !isReportName(options.reportName)) {
    throw new InvalidArgumentError(
      'reportName',
      `expected a file name stem (letters, digits, '.', '_', '-'), got "${options.reportName}"`,
    );
  }
  const proposed = options.proposed ?? 'imecd';
  const isAblation = (model: string) => model.startsWith(`${proposed}-`);
  const rows: TrainSummary[] = [];
  for (const [index, model] of models.entries()) {
    onEvent({ type: 'model-start', index, total: models.length, model });
    const { summary } = await trainRuns(
      {
        ...options,
        run: {
          kind: 'new',
          model,
          datasetName,
          datasetDir: options.datasetDir,
          seeds: options.seeds,
          settings: options.settingsFor(model),
          outDir: options.outDir,
          reuse: options.reuse ?? false,
          ...(options.commandFor && { command: options.commandFor(model) }),
        },
      },
      { onEvent },
    );
    rows.push(summary!);
  }

  const mainModels = models.filter((model) => !isAblation(model));
  const ablationModels = models.some(isAblation)
    ? models.filter((model) => model === proposed || isAblation(model))
    : [];
  const baselines = mainModels.filter((model) => model !== proposed);
  const improvement = await computeImprovement(proposed, rows, baselines, SIGNIFICANCE_METRICS);
  const ablations = ablationModels.filter((model) => model !== proposed);
  const ablationTests = await computeImprovement(proposed, rows, ablations, ABLATION_METRICS);
  const curves = (await Promise.all(rows.map((row) => readTrainingCurve(row.model, row.runDir, row.seeds)))).filter(
    (curve): curve is TrainingCurve => curve !== undefined,
  );
  const report: ReplicationReport = {
    dataset: datasetName,
    protocol: rows[0]!.protocol,
    backend: rows[0]!.backend,
    seeds: rows[0]!.seeds,
    quick: options.quick ?? false,
    tables: { main: mainModels, ablations: ablationModels },
    rows: rows.map((row) => ({
      model: row.model,
      test: row.test,
      valid: row.valid,
      epochs: row.epochs,
      bestEpochs: row.bestEpochs,
      secondsPerEpoch: row.secondsPerEpoch,
      hours: row.hours,
      runDir: row.runDir,
      changedSettings: changedSettings(options.registry, row),
    })),
    improvement: improvement ?? null,
    ablationTests: ablationTests?.versus ?? null,
  };
  const stem = `${options.reportName ?? datasetName}${report.quick ? '.quick' : ''}`;
  const curvesFile = curves.length > 0 ? `${stem}.curves.svg` : undefined;
  const markdown = renderReplicationMarkdown(report, { proposed, curvesFile, command: options.command });

  const files: string[] = [];
  if (options.reportDir !== undefined) {
    await mkdir(options.reportDir, { recursive: true });
    const write = async (name: string, content: string) => {
      await writeFile(join(options.reportDir!, name), content);
      files.push(join(options.reportDir!, name));
    };
    if (curvesFile !== undefined) {
      const title = `${datasetName}: validation NDCG@10 per epoch (mean over seeds ${report.seeds.join(', ')})`;
      await write(curvesFile, renderCurvesSvg(curves, { title }));
    }
    await write(`${stem}.md`, markdown);
    await write(`${stem}.json`, `${JSON.stringify(withPortableRunDirs(report, options.reportDir), null, 2)}\n`);
  }
  return { report, markdown, files };
}

/**
 * The settings a run trained with that differ from today's defaults of its model (those it reads)
 * and of the trainer (unless no seed ran an epoch: Pop is counted, not trained): what a table must
 * say next to its numbers. Empty for a run on defaults.
 */
export function changedSettings(registry: ModelRegistry, summary: TrainSummary): Hyperparameters {
  const defaults: Readonly<Hyperparameters> = registry.defaults(summary.model);
  const trainDefaults: Readonly<Record<string, unknown>> = TRAINER_SETTINGS.defaults;
  const inputDefaults: Readonly<Record<string, unknown>> = INPUT_SETTINGS.defaults;
  const trained = summary.epochs.some((epochs) => epochs > 0);
  return Object.fromEntries([
    ...Object.entries(registry.identifyingHyperparameters(summary.model, summary.hyperparameters)).filter(
      ([key, value]) => defaults[key] !== value,
    ),
    ...(trained
      ? Object.entries(recordedTrainSettings(summary.train)).filter(([key, value]) => trainDefaults[key] !== value)
      : []),
    ...Object.entries(summary.inputs ?? {}).filter(([key, value]) => inputDefaults[key] !== value),
  ]);
}

/**
 * The report as its JSON file holds it: run folders relative to the file's own folder, with `/`, so
 * that a committed report names its runs in any checkout (an absolute path names one machine's).
 */
function withPortableRunDirs(report: ReplicationReport, reportDir: string): ReplicationReport {
  const portable = (runDir: string) => relative(reportDir, runDir).split(sep).join('/');
  return { ...report, rows: report.rows.map((row) => ({ ...row, runDir: portable(row.runDir) })) };
}
