import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFormatError } from '@imecd/core';
import type { RunConfig, SeedMetrics } from './run-config';
import { readJson, seedDirectory } from './run-directory';

/**
 * Where one seed of a run folder stands, from validation alone: a status must be safe to read
 * while a table is being made, so it never shows a test metric.
 * - `finished`: its metrics.json exists (trained to early stopping or the epoch limit, then tested).
 * - `partial`: epochs in its history but no result yet: training now, or killed and resumable
 *   with `--reuse` (a status cannot tell which; `lastWritten` says when the history last grew).
 * - `not started`: nothing written.
 */
export interface SeedStatus {
  seed: number;
  state: 'finished' | 'partial' | 'not started';
  /** Epochs trained so far (finished: all of them). */
  epochs: number;
  /** The epoch with the best validation score so far (the first of equal ones), or null before any. */
  bestEpoch: number | null;
  /** The selection metric on validation at `bestEpoch`. */
  bestValid: number | null;
  /** Epochs since `bestEpoch`; early stopping comes when it reaches the patience. */
  epochsSinceBest: number | null;
  /** Median wall seconds of the last (up to 5) epochs, validation pass included. */
  epochSeconds: number | null;
  /**
   * The most epochs a partial seed can still train: patience − epochsSinceBest (every further
   * epoch without improvement) or what the epoch limit leaves, whichever is fewer. A new best
   * restarts the count, so this bounds the wait only until the next improvement. 0 when finished.
   */
  epochsLeftAtMost: number | null;
  /** When history.ndjson (or metrics.json) was last written, ISO 8601; null when not started. */
  lastWritten: string | null;
}

export interface RunStatus {
  runDir: string;
  model: string;
  dataset: string;
  /** The validation metric that selects the best epoch (the protocol's, e.g. `ndcg@10`). */
  selectMetric: string;
  /** Early-stopping patience and the epoch limit of the run's settings; null for models without training (Pop). */
  patience: number | null;
  maxEpochs: number | null;
  seeds: SeedStatus[];
}

/** One line of a seed's history.ndjson: an epoch's validation metrics and its wall seconds. */
export interface HistoryRecord {
  epoch: number;
  valid: Record<string, number>;
  seconds?: number;
}

/** Reads where every seed of one run folder stands (config.json, and each seed's history and result). */
export async function readRunStatus(runDir: string): Promise<RunStatus> {
  const config = await readJson<RunConfig>(join(runDir, 'config.json'));
  const selectMetric = config.protocol?.selection?.replace(/^valid /, '') ?? 'ndcg@10';
  const train = (config.train ?? {}) as { patience?: number; epochs?: number };
  const patience = typeof train.patience === 'number' ? train.patience : null;
  const maxEpochs = typeof train.epochs === 'number' ? train.epochs : null;
  const seeds: SeedStatus[] = [];
  for (const seed of config.seeds ?? []) {
    seeds.push(await readSeedStatus(seedDirectory(runDir, seed), seed, selectMetric, patience, maxEpochs));
  }
  return { runDir, model: config.model, dataset: config.dataset, selectMetric, patience, maxEpochs, seeds };
}

/**
 * The run folders directly under `root` (those with a config.json), oldest first (their names
 * start with the UTC time they were made), optionally only one model's or one dataset's.
 */
export async function listRunStatuses(
  root: string,
  filter: { model?: string; dataset?: string } = {},
): Promise<RunStatus[]> {
  if (!existsSync(root)) return [];
  const names = (await readdir(root, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'config.json')))
    .map((entry) => entry.name)
    .sort();
  const statuses: RunStatus[] = [];
  for (const name of names) {
    const status = await readRunStatus(join(root, name));
    if (filter.model !== undefined && status.model !== filter.model) continue;
    if (filter.dataset !== undefined && status.dataset !== filter.dataset) continue;
    statuses.push(status);
  }
  return statuses;
}

async function readSeedStatus(
  dir: string,
  seed: number,
  selectMetric: string,
  patience: number | null,
  maxEpochs: number | null,
): Promise<SeedStatus> {
  const historyFile = join(dir, 'history.ndjson');
  const metricsFile = join(dir, 'metrics.json');
  const history = await readHistory(historyFile);
  const finished = existsSync(metricsFile);
  const best = bestOf(history, selectMetric);
  const epochs = history.at(-1)?.epoch ?? 0;
  const lastWritten = finished ? metricsFile : history.length > 0 ? historyFile : undefined;
  const status: SeedStatus = {
    seed,
    state: finished ? 'finished' : history.length > 0 ? 'partial' : 'not started',
    epochs,
    bestEpoch: best?.epoch ?? null,
    bestValid: best?.valid[selectMetric] ?? null,
    epochsSinceBest: best ? epochs - best.epoch : null,
    epochSeconds: medianOf(
      history
        .slice(-5)
        .map((record) => record.seconds)
        .filter((seconds): seconds is number => typeof seconds === 'number'),
    ),
    epochsLeftAtMost: null,
    lastWritten: lastWritten ? (await stat(lastWritten)).mtime.toISOString() : null,
  };
  if (finished) {
    // The result is the truth for a finished seed (Pop has a result and no history); only its
    // validation values are read.
    const metrics = await readJson<Partial<SeedMetrics>>(metricsFile);
    const bestEpoch = typeof metrics.bestEpoch === 'number' ? metrics.bestEpoch : status.bestEpoch;
    const epochsRun = typeof metrics.epochsRun === 'number' ? metrics.epochsRun : epochs;
    const bestValid = metrics.valid?.[selectMetric as keyof SeedMetrics['valid']];
    Object.assign(status, {
      epochs: epochsRun,
      bestEpoch,
      bestValid: typeof bestValid === 'number' ? bestValid : status.bestValid,
      epochsSinceBest: bestEpoch === null ? null : epochsRun - bestEpoch,
      epochsLeftAtMost: 0,
    });
  } else if (status.state === 'partial' && status.epochsSinceBest !== null) {
    const bounds = [
      ...(patience === null ? [] : [patience - status.epochsSinceBest]),
      ...(maxEpochs === null ? [] : [maxEpochs - status.epochs]),
    ];
    status.epochsLeftAtMost = bounds.length === 0 ? null : Math.max(0, Math.min(...bounds));
  }
  return status;
}

/**
 * A seed's history.ndjson, one record per line; none when the file does not exist (Pop, a seed not
 * started). A line that is not a history record is a DataFormatError naming file and line.
 */
export async function readHistory(file: string): Promise<HistoryRecord[]> {
  if (!existsSync(file)) return [];
  const text = await readFile(file, 'utf8');
  const records: HistoryRecord[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new DataFormatError(file, index + 1, `is not JSON: ${(error as Error).message}`, { cause: error });
    }
    const { epoch, valid } = (record ?? {}) as Partial<HistoryRecord>;
    if (!Number.isInteger(epoch) || (epoch as number) < 1 || typeof valid !== 'object' || valid === null) {
      throw new DataFormatError(file, index + 1, 'expected {"epoch": N ≥ 1, "valid": {…}, …}');
    }
    records.push(record as HistoryRecord);
  });
  return records;
}

/** The first record with the highest selection metric, as the trainer keeps it (strictly better replaces). */
function bestOf(history: readonly HistoryRecord[], selectMetric: string): HistoryRecord | undefined {
  let best: HistoryRecord | undefined;
  for (const record of history) {
    const score = record.valid[selectMetric];
    if (typeof score !== 'number') continue;
    if (best === undefined || score > (best.valid[selectMetric] as number)) best = record;
  }
  return best;
}

function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
