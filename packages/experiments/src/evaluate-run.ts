import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '@imecd/core';
import { type SequenceDataset, splitLeaveOneOut } from '@imecd/data-amazon';
import { aggregateRuns, type MeanStd } from '@imecd/metrics';
import { evaluateFullRanking } from '@imecd/recommender';
import { RunMismatchError } from './errors';
import type { Hyperparameters, ModelRegistry } from './model-registry';
import type { ProtocolDescription } from './protocol';
import type { RunConfig } from './run-config';
import { seedDirectory } from './run-directory';
import type { ProgressListener } from './train-events';
import { loadBestModel } from './trained-run';

export interface EvaluateRunOptions {
  registry: ModelRegistry;
  /** The run folder and its config, as openRun read them. */
  runDir: string;
  config: RunConfig;
  /** Settings over the recorded ones that change only scoring (the model's inferenceSettings). Default: none. */
  overrides?: Readonly<Hyperparameters>;
  /** The dataset the run's config names. */
  dataset: SequenceDataset;
  /** The backend the caller selected, by name (the summary says it). */
  backend: string;
  /** Which of the run's seeds to evaluate (each one of `config.seeds`). Default: all of them. */
  seeds?: readonly number[];
}

/** A run's best-validation checkpoints evaluated again: what `evaluate` reports. */
export interface RunEvaluation {
  model: string;
  dataset: string;
  overrides?: Hyperparameters;
  backend: string;
  protocol: ProtocolDescription;
  /** Whether every seed finished training (else the numbers are the best epoch so far). */
  finished: boolean;
  seeds: { seed: number; finished: boolean; bestEpoch: number; epochsDone: number }[];
  valid: Record<string, number | MeanStd>;
  test: Record<string, number | MeanStd>;
}

/** Progress of an evaluation: a seed without a checkpoint yet is left out. */
export type EvaluateRunEvent = { type: 'seed-skipped'; seed: number };

/**
 * Checks that the run's recorded settings (with `overrides`) go together for its model and streams:
 * an InvalidArgumentError naming the setting, before any weights are read.
 */
export function checkRunSettings(
  registry: ModelRegistry,
  config: RunConfig,
  overrides: Readonly<Hyperparameters> = {},
) {
  const { inferenceSettings } = registry.get(config.model).capabilities;
  for (const key of Object.keys(overrides))
    if (!inferenceSettings.includes(key))
      throw new InvalidArgumentError(
        key,
        `${config.model} can change only ${inferenceSettings.join(', ') || 'nothing'} after training`,
      );
  const hyperparameters = registry.recordedHyperparameters(config.model, { ...config.hyperparameters, ...overrides });
  registry.checkHyperparameters(config.model, hyperparameters, Object.keys(config.features ?? {}));
}

/** Checks that `seeds` are some of the run's seeds: an InvalidArgumentError naming them, before any weights are read. */
export function checkEvaluatedSeeds(runDir: string, config: RunConfig, seeds: readonly number[]) {
  const unknown = seeds.filter((seed) => !config.seeds.includes(seed));
  if (unknown.length > 0 || seeds.length === 0)
    throw new InvalidArgumentError(
      'seeds',
      `${runDir} has seeds ${config.seeds.join(', ')}; ${seeds.length === 0 ? 'none asked for' : `not ${unknown.join(', ')}`}`,
    );
}

/**
 * Evaluates the best-validation checkpoint of every seed of a run, finished or still training, on
 * the validation and test users (full ranking), optionally under other scoring settings.
 */
export async function evaluateRun(
  options: EvaluateRunOptions,
  { onEvent = () => {} }: ProgressListener<EvaluateRunEvent> = {},
): Promise<RunEvaluation> {
  const { registry, runDir, dataset, overrides = {}, seeds = options.config.seeds } = options;
  checkRunSettings(registry, options.config, overrides);
  checkEvaluatedSeeds(runDir, options.config, seeds);
  const config = { ...options.config, hyperparameters: { ...options.config.hyperparameters, ...overrides } };
  const split = splitLeaveOneOut(dataset, { maxHistory: Number(config.hyperparameters.maxLength ?? 50) });
  const perSeed: (RunEvaluation['seeds'][number] & { valid: Record<string, number>; test: Record<string, number> })[] =
    [];
  for (const seed of seeds) {
    const dir = seedDirectory(runDir, seed);
    const loaded = await loadBestModel(registry, config, dataset, seed, dir);
    if (!loaded) {
      onEvent({ type: 'seed-skipped', seed });
      continue;
    }
    const { model, checkpoint } = loaded;
    try {
      perSeed.push({
        seed,
        finished: existsSync(join(dir, 'metrics.json')),
        bestEpoch: checkpoint?.bestEpoch ?? 0,
        epochsDone: checkpoint?.epochsDone ?? 0,
        valid: evaluateFullRanking(model, split.valid).metrics,
        test: evaluateFullRanking(model, split.test).metrics,
      });
    } finally {
      model.dispose();
    }
  }
  if (perSeed.length === 0) throw new RunMismatchError(`${runDir} has no checkpoint yet`);
  const pick = (part: 'valid' | 'test') =>
    perSeed.length === 1 ? perSeed[0]![part] : aggregateRuns(perSeed.map((run) => run[part]));
  return {
    model: config.model,
    dataset: config.dataset,
    ...(Object.keys(overrides).length > 0 && { overrides: { ...overrides } }),
    backend: options.backend,
    protocol: config.protocol,
    finished: perSeed.every((run) => run.finished),
    seeds: perSeed.map(({ seed, finished, bestEpoch, epochsDone }) => ({ seed, finished, bestEpoch, epochsDone })),
    valid: pick('valid'),
    test: pick('test'),
  };
}
