import { resolve } from 'node:path';
import { selectBackend } from '@imecd/backend';
import { InvalidArgumentError } from '@imecd/core';
import {
  checkEvaluatedSeeds,
  checkRunSettings,
  evaluateRun,
  formatMetricsTable,
  formatProtocol,
  openRun,
  parseAssignments,
  resolveInferenceOverrides,
} from '@imecd/experiments';
import { BACKEND_FLAGS, BACKEND_FLAGS_USAGE, backendOptions, JSON_FLAG, parseFlags, parseInteger } from '../cli-args';
import type { CliIo } from '../cli-io';
import { MODELS } from '../registry';
import { loadRunDataset } from '../run-dataset';
import { progressLogger } from '../runner';
import { UsageError } from '../usage-error';

export const EVALUATE_USAGE = `pnpm reproduce evaluate --run RUN_DIR [--seeds 1,2] [--set key=value ...] [--json]

Evaluates the best-validation checkpoint of every seed of a run (or of the --seeds given) —
finished or still running — on the validation and test users (full ranking). For a run that has
not finished, the numbers are those of the best epoch so far and say so.

--set changes a setting that only affects scoring, never the weights (IMECD and its variants:
samplingSteps=N, e.g. 1 to score with the one-step x̂_0 from x_T; runs of the first reading,
generator=separate, also scoreFusion=sum|generated|streams, e.g. to see what the streams rank alone).

${BACKEND_FLAGS_USAGE}`;

/** Runs `check`; its InvalidArgumentError becomes a usage error (exit 2) of `flag`. */
function reportAsUsage(flag: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
}

export async function runEvaluate(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, {
    run: { type: 'string' },
    seeds: { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
    ...BACKEND_FLAGS,
    ...JSON_FLAG,
  });
  if (values.run === undefined) throw new UsageError(`evaluate needs --run RUN_DIR.\n\n${EVALUATE_USAGE}`);
  const { runDir, config } = await openRun(resolve(io.cwd, values.run));
  const overrides = resolveInferenceOverrides(MODELS, config.model, parseAssignments(values.set));
  const seeds = values.seeds?.split(',').map((seed) => parseInteger('--seeds', seed)) ?? config.seeds;
  // Before the backend starts or any weights are read.
  reportAsUsage('--seeds', () => checkEvaluatedSeeds(runDir, config, seeds));
  reportAsUsage('--set', () => checkRunSettings(MODELS, config, overrides));
  const selection = await selectBackend({ ...backendOptions(values, io.env), env: io.env });
  io.stderr(`backend ${selection.name}\n`);
  const dataset = await loadRunDataset(config, io);
  const summary = await evaluateRun(
    { registry: MODELS, runDir, config, overrides, dataset, backend: selection.name, seeds },
    { onEvent: progressLogger(io) },
  );
  if (values.json) {
    io.stdout(`${JSON.stringify(summary)}\n`);
    return 0;
  }
  const keys = ['hr@5', 'ndcg@5', 'hr@10', 'ndcg@10', 'hr@20', 'ndcg@20'];
  const changed = Object.entries(overrides).map(([key, value]) => `${key}=${value}`);
  const seedLines = summary.seeds.map((run) => `seed ${run.seed}: best ${run.bestEpoch} of ${run.epochsDone}`);
  io.stdout(
    [
      `${config.model}${changed.length > 0 ? ` (${changed.join(', ')})` : ''} on ${config.dataset}: ` +
        `${summary.finished ? 'finished' : 'NOT FINISHED — best epoch so far'} (${seedLines.join('; ')})`,
      formatProtocol(config.protocol),
      ...formatMetricsTable(summary, keys),
      '',
    ].join('\n'),
  );
  return 0;
}
