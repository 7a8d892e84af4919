import { resolve } from 'node:path';
import { selectBackend } from '@imecd/backend';
import { loadDataset } from '@imecd/data-amazon';
import { parseAssignments, parseGrid, tune } from '@imecd/experiments';
import { backendOptions, DATASET_FLAGS, JSON_FLAG, parseFlags, parseInteger, parsePositiveInteger } from '../cli-args';
import type { CliIo } from '../cli-io';
import { resolveSettings } from '../presets';
import { MODELS } from '../registry';
import { progressLogger, runnerOptions } from '../runner';
import { resolveDatasetFolder } from '../shipped-datasets';
import { UsageError } from '../usage-error';

export const TUNE_USAGE = `pnpm reproduce tune --model NAME [--dataset NAME | --data-dir DIR] --grid key=v1,v2 [--grid ...] [options]

Grid search on VALIDATION only: trains every combination of the --grid values (any --set key:
hyperparameters or trainer settings), ranks them by validation NDCG@10 (mean over --seeds) and
prints the winner as a preset entry. Test metrics are never shown. Runs are reused (--reuse), so a
killed search continues where it stopped. Writes results/tune/<dataset>-<model>-<grid keys>.md and
.json (e.g. scientific-imecd-lambdaVq.md), so searches over other settings do not overwrite it.

  --grid key=v1,v2      values to try for one setting (repeatable; the grid is their product)
  --set key=value       fixed for every combination (repeatable)
  --seeds 1             seeds per combination (default 1)
  --epochs N            most epochs per combination
  --jobs N              seeds at once (default 1)
  --json                print one JSON object on stdout`;

export async function runTune(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, {
    model: { type: 'string' },
    ...DATASET_FLAGS,
    grid: { type: 'string', multiple: true, default: [] },
    set: { type: 'string', multiple: true, default: [] },
    seeds: { type: 'string', default: '1' },
    epochs: { type: 'string' },
    jobs: { type: 'string', default: '1' },
    'out-dir': { type: 'string' },
    ...JSON_FLAG,
  });
  const { model, seeds, jobs, epochs } = values;
  if (model === undefined || !MODELS.has(model))
    throw new UsageError(`tune needs --model NAME (${MODELS.names.join(', ')})`);
  const grid = parseGrid(values.grid);
  const dataDir = values['data-dir'];
  const { name, dir } = resolveDatasetFolder(values, io);
  const fixed = values.set;
  const { threads } = backendOptions({}, io.env, parsePositiveInteger('--jobs', jobs));
  const { name: backend } = await selectBackend({ threads, env: io.env });
  const dataset = await loadDataset(dir, { name });
  // Each combination is the train run `pnpm reproduce train` would make with these flags.
  const sets = (combination: Record<string, string>) => [
    ...fixed,
    ...Object.entries(combination).map(([key, value]) => `${key}=${value}`),
  ];
  const trainArgs = (combination: Record<string, string>) => [
    ...['--model', model, ...(dataDir ? ['--data-dir', dataDir] : []), '--dataset', name],
    ...['--seeds', seeds, '--jobs', jobs, '--reuse', ...sets(combination).flatMap((flag) => ['--set', flag])],
    ...(epochs ? ['--epochs', epochs] : []),
    ...(values['out-dir'] ? ['--out-dir', values['out-dir']] : []),
  ];
  const { report, markdown } = await tune(
    {
      ...runnerOptions(io, backend, parsePositiveInteger('--jobs', jobs), 300, threads),
      dataset,
      datasetName: name,
      datasetDir: dir,
      model,
      grid,
      seeds: seeds.split(',').map((seed) => parseInteger('--seeds', seed)),
      outDir: resolve(io.cwd, values['out-dir'] ?? 'runs'),
      settingsFor: (combination) => {
        const settings = resolveSettings(name, model, parseAssignments(sets(combination)));
        if (epochs !== undefined) settings.train.epochs = parsePositiveInteger('--epochs', epochs);
        return settings;
      },
      commandFor: (combination) => `pnpm reproduce train ${[...trainArgs(combination), '--json'].join(' ')}`,
      fixed,
      command: `pnpm reproduce tune ${args.join(' ')}`,
      reportDir: resolve(io.cwd, 'results', 'tune'),
    },
    { onEvent: progressLogger(io) },
  );
  io.stdout(values.json ? `${JSON.stringify(report)}\n` : markdown);
  return 0;
}
