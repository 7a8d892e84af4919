import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@imecd/core';
import type { SequenceDataset } from '@imecd/data-amazon';
import { meanOf } from './improvement';
import type { RequestedSettings } from './run-config';
import type { ProgressListener, TrainRunsEvent } from './train-events';
import { type RunnerOptions, trainRuns } from './train-runs';

export interface TuneOptions extends RunnerOptions {
  /** The loaded dataset, and its name and folder as runs record them. */
  dataset: SequenceDataset;
  datasetName: string;
  datasetDir: string;
  /** The registry name of the model searched. */
  model: string;
  /** Values to try per setting, as text (`--set` values); the grid is their product, first key slowest. */
  grid: Readonly<Record<string, readonly string[]>>;
  /** Seeds per combination; the ranking uses the mean over them. */
  seeds: readonly number[];
  /** The folder of run folders; every combination reuses a finished (or continues a killed) run there. */
  outDir: string;
  /** One combination's settings: the caller's defaults and fixed settings with the combination's values over them. */
  settingsFor(combination: Readonly<Record<string, string>>): RequestedSettings;
  /** command.txt of a combination's new run folder. Default: none. */
  commandFor?(combination: Readonly<Record<string, string>>): string;
  /** The settings fixed for every combination, as the report shows them (`key=value`). Default: none. */
  fixed?: readonly string[];
  /** The command line the report names. Default: none. */
  command?: string;
  /** Where `<dataset>-<model>-<grid keys>.md` and `.json` are written. Default: nowhere. */
  reportDir?: string;
}

/** The validation metrics a search ranks and shows (never a test metric). */
export interface TuneValid {
  'ndcg@10': number;
  'hr@10': number;
  'ndcg@20': number;
  'hr@20': number;
}

/** One combination's result. */
export interface TuneEntry {
  settings: Record<string, string>;
  valid: TuneValid;
  bestEpochs: number[];
  runDir: string;
}

/** What a search found: `ranked` best first by validation NDCG@10; `best` is the winner's settings. */
export interface TuneReport {
  model: string;
  dataset: string;
  selection: 'valid ndcg@10';
  seeds: number[];
  fixed: string[];
  grid: Record<string, string[]>;
  ranked: TuneEntry[];
  best: Record<string, string>;
}

/** Progress of a search: each combination's start and end, and its training's own events in between. */
export type TuneEvent =
  | { type: 'combination-start'; index: number; total: number; model: string; combination: Record<string, string> }
  | { type: 'combination-end'; index: number; valid: TuneValid }
  | TrainRunsEvent;

/**
 * Grid search on validation only: trains every combination of the grid (reusing finished runs, so
 * a killed search continues where it stopped) and ranks them by validation NDCG@10.
 */
export async function tune(
  options: TuneOptions,
  { onEvent = () => {} }: ProgressListener<TuneEvent> = {},
): Promise<{ report: TuneReport; markdown: string; files: string[] }> {
  const keys = Object.keys(options.grid);
  if (keys.length === 0) throw new InvalidArgumentError('grid', 'expected at least one setting with values to try');
  const combinations = cartesian(options.grid);
  const entries: TuneEntry[] = [];
  for (const [index, combination] of combinations.entries()) {
    onEvent({ type: 'combination-start', index, total: combinations.length, model: options.model, combination });
    const { summary, runDir } = await trainRuns(
      {
        ...options,
        run: {
          kind: 'new',
          model: options.model,
          datasetName: options.datasetName,
          datasetDir: options.datasetDir,
          seeds: options.seeds,
          settings: options.settingsFor(combination),
          outDir: options.outDir,
          reuse: true,
          ...(options.commandFor && { command: options.commandFor(combination) }),
        },
      },
      { onEvent },
    );
    const [ndcg10, hr10, ndcg20, hr20] = ['ndcg@10', 'hr@10', 'ndcg@20', 'hr@20'].map((key) =>
      meanOf(summary!.valid[key]),
    );
    const valid = { 'ndcg@10': ndcg10!, 'hr@10': hr10!, 'ndcg@20': ndcg20!, 'hr@20': hr20! };
    entries.push({ settings: combination, valid, bestEpochs: summary!.bestEpochs, runDir });
    onEvent({ type: 'combination-end', index, valid });
  }
  const ranked = [...entries].sort((a, b) => b.valid['ndcg@10'] - a.valid['ndcg@10']);
  const report: TuneReport = {
    model: options.model,
    dataset: options.datasetName,
    selection: 'valid ndcg@10',
    seeds: [...options.seeds],
    fixed: [...(options.fixed ?? [])],
    grid: Object.fromEntries(Object.entries(options.grid).map(([key, values]) => [key, [...values]])),
    ranked,
    best: ranked[0]!.settings,
  };
  const markdown = renderTuneMarkdown(report, options.command);
  const files: string[] = [];
  if (options.reportDir !== undefined) {
    await mkdir(options.reportDir, { recursive: true });
    const base = join(options.reportDir, `${report.dataset}-${report.model}-${keys.join('+')}`);
    await writeFile(`${base}.md`, markdown);
    await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
    files.push(`${base}.md`, `${base}.json`);
  }
  return { report, markdown, files };
}

/** Every combination of the grid's values, first key slowest. */
export function cartesian(grid: Readonly<Record<string, readonly string[]>>): Record<string, string>[] {
  return Object.entries(grid).reduce<Record<string, string>[]>(
    (combinations, [key, options]) =>
      combinations.flatMap((combination) => options.map((value) => ({ ...combination, [key]: value }))),
    [{}],
  );
}

/** The search as a Markdown table, best first, with the winner and the command that ran it. */
function renderTuneMarkdown(report: TuneReport, command: string | undefined): string {
  const keys = Object.keys(report.grid);
  const winner = report.ranked[0]!;
  const row = (entry: TuneEntry) =>
    `| ${keys.map((key) => entry.settings[key]).join(' | ')} | ${entry.valid['ndcg@10'].toFixed(4)} | ${entry.valid['hr@10'].toFixed(4)} | ${entry.valid['ndcg@20'].toFixed(4)} | ${entry.bestEpochs.join(', ')} |`;
  const best = Object.entries(winner.settings).map(([key, value]) => `${key}=${value}`);
  return [
    `## Tuning ${report.model} on ${report.dataset} (validation only; seeds ${report.seeds.join(',')})`,
    '',
    `| ${keys.join(' | ')} | valid ndcg@10 | valid hr@10 | valid ndcg@20 | best epoch |`,
    `|${keys.map(() => '---').join('|')}|---|---|---|---|`,
    ...report.ranked.map(row),
    '',
    `Best: ${best.join(', ')}${report.fixed.length ? ` (with ${report.fixed.join(', ')})` : ''}.`,
    ...(command === undefined ? [] : [`Command: \`${command}\``]),
    '',
  ].join('\n');
}
