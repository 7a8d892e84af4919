import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type BackendChoice, selectBackend } from '@imecd/backend';
import { InvalidArgumentError } from '@imecd/core';
import { loadDataset, splitLeaveOneOut } from '@imecd/data-amazon';
import type { Hyperparameters } from '@imecd/experiments';
import { aggregateRuns } from '@imecd/metrics';
import { evaluateFullRanking } from '@imecd/recommender';
import { parseSetFlags, parseSetValue } from '../cli-args';
import type { CliIo } from '../cli-io';
import { formatMetricCell } from '../metric-cell';
import { formatProtocol } from '../protocol';
import { MODELS } from '../registry';
import { seedDirectory } from '../run-directory';
import { loadBestModel, openRun } from '../trained-run';
import { UsageError } from '../usage-error';

export const EVALUATE_USAGE = `pnpm reproduce evaluate --run RUN_DIR [--set key=value ...] [--json]

Evaluates the best-validation checkpoint of every seed of a run — finished or still running —
on the validation and test users (full ranking). For a run that has not finished, the numbers
are those of the best epoch so far and say so.

--set changes a setting that only affects scoring, never the weights (IMECD and its variants:
samplingSteps=N, e.g. 1 to score with the one-step x̂_0 from x_T; runs of the first reading,
generator=separate, also scoreFusion=sum|generated|streams, e.g. to see what the streams rank alone).`;

export async function runEvaluate(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      run: { type: 'string' },
      backend: { type: 'string' },
      set: { type: 'string', multiple: true, default: [] },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.run === undefined) throw new UsageError(`evaluate needs --run RUN_DIR.\n\n${EVALUATE_USAGE}`);
  const opened = await openRun(io.cwd, values.run);
  const { runDir } = opened;
  const overrides = inferenceOverrides(opened.config.model, values.set);
  const config = { ...opened.config, hyperparameters: { ...opened.config.hyperparameters, ...overrides } };
  try {
    MODELS.checkHyperparameters(
      config.model,
      MODELS.recordedHyperparameters(config.model, config.hyperparameters),
      Object.keys(config.features ?? {}),
    );
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new UsageError(`--set: ${error.message}`);
    throw error;
  }
  const selection = await selectBackend({
    ...(values.backend ? { backend: values.backend as BackendChoice } : {}),
    env: io.env,
  });
  io.stderr(`backend ${selection.name}\n`);
  const dataset = await loadDataset(config.datasetDir, { name: config.dataset });
  const maxLength = Number(config.hyperparameters.maxLength ?? 50);
  const split = splitLeaveOneOut(dataset, { maxHistory: maxLength });

  const perSeed: {
    seed: number;
    finished: boolean;
    bestEpoch: number;
    epochsDone: number;
    valid: Record<string, number>;
    test: Record<string, number>;
  }[] = [];
  for (const seed of config.seeds) {
    const dir = seedDirectory(runDir, seed);
    const loaded = await loadBestModel(config, dataset, seed, dir);
    if (!loaded) {
      io.stderr(`seed ${seed}: no checkpoint yet, skipped\n`);
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
  if (perSeed.length === 0) throw new UsageError(`${runDir} has no checkpoint yet`);
  const summary = {
    model: config.model,
    dataset: config.dataset,
    ...(Object.keys(overrides).length > 0 && { overrides }),
    backend: selection.name,
    protocol: config.protocol,
    finished: perSeed.every((run) => run.finished),
    seeds: perSeed.map(({ seed, finished, bestEpoch, epochsDone }) => ({ seed, finished, bestEpoch, epochsDone })),
    valid: perSeed.length === 1 ? perSeed[0]!.valid : aggregateRuns(perSeed.map((run) => run.valid)),
    test: perSeed.length === 1 ? perSeed[0]!.test : aggregateRuns(perSeed.map((run) => run.test)),
  };
  if (values.json) {
    io.stdout(`${JSON.stringify(summary)}\n`);
    return 0;
  }
  const keys = ['hr@5', 'ndcg@5', 'hr@10', 'ndcg@10', 'hr@20', 'ndcg@20'];
  io.stdout(
    [
      `${config.model}${
        Object.keys(overrides).length > 0
          ? ` (${Object.entries(overrides)
              .map(([key, value]) => `${key}=${value}`)
              .join(', ')})`
          : ''
      } on ${config.dataset}: ${summary.finished ? 'finished' : 'NOT FINISHED — best epoch so far'} ` +
        `(${summary.seeds.map((run) => `seed ${run.seed}: best ${run.bestEpoch} of ${run.epochsDone}`).join('; ')})`,
      formatProtocol(config.protocol),
      `| split | ${keys.join(' | ')} |`,
      `|---|${keys.map(() => '---').join('|')}|`,
      ...(['valid', 'test'] as const).map(
        (part) => `| ${part} | ${keys.map((key) => formatMetricCell(summary[part][key])).join(' | ')} |`,
      ),
      '',
    ].join('\n'),
  );
  return 0;
}

/** The `--set key=value` pairs, each a scoring-only setting of `model`, typed like its default. */
function inferenceOverrides(model: string, pairs: string[]): Hyperparameters {
  if (!MODELS.has(model)) throw new UsageError(`the run's model "${model}" is not one this version knows`);
  const { settings: schema, capabilities } = MODELS.get(model);
  const allowed = capabilities.inferenceSettings;
  const overrides: Hyperparameters = {};
  for (const [key, text] of Object.entries(parseSetFlags(pairs))) {
    if (!allowed.includes(key)) {
      throw new UsageError(
        `--set ${key}: evaluate can only change settings that do not touch the weights; ${model} has ${allowed.length > 0 ? allowed.join(', ') : 'none'}`,
      );
    }
    overrides[key] = parseSetValue(schema, key, text);
  }
  return overrides;
}
