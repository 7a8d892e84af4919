import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { splitKeyValue } from '../cli-args';
import type { CliIo } from '../cli-io';
import { MODELS } from '../registry';
import { meanOf } from '../results/improvement';
import { resolveDatasetFolder } from '../shipped-datasets';
import { UsageError } from '../usage-error';
import { runTrainCaptured } from './train';

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

interface TuneEntry {
  settings: Record<string, string>;
  valid: { 'ndcg@10': number; 'hr@10': number; 'ndcg@20': number; 'hr@20': number };
  bestEpochs: number[];
  runDir: string;
}

export async function runTune(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      dataset: { type: 'string' },
      'data-dir': { type: 'string' },
      grid: { type: 'string', multiple: true },
      set: { type: 'string', multiple: true },
      seeds: { type: 'string', default: '1' },
      epochs: { type: 'string' },
      jobs: { type: 'string', default: '1' },
      'out-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const model = values.model;
  if (model === undefined || !MODELS.has(model))
    throw new UsageError(`tune needs --model NAME (${MODELS.names.join(', ')})`);
  const grid = parseGrid(values.grid ?? []);
  const { name: datasetName } = resolveDatasetFolder(
    { dataset: values.dataset, dataDir: values['data-dir'] },
    io.env,
    io.cwd,
  );
  const datasetArgs = values['data-dir']
    ? ['--data-dir', values['data-dir'], '--dataset', datasetName]
    : ['--dataset', datasetName];
  const combinations = cartesian(grid);

  const entries: TuneEntry[] = [];
  for (const [index, settings] of combinations.entries()) {
    const label = Object.entries(settings)
      .map(([key, value]) => `${key}=${value}`)
      .join(' ');
    io.stderr(`[${index + 1}/${combinations.length}] ${model} ${label}\n`);
    const { code, summary } = await runTrainCaptured(
      [
        '--model',
        model,
        ...datasetArgs,
        '--seeds',
        values.seeds,
        '--jobs',
        values.jobs,
        '--reuse',
        ...(values.set ?? []).flatMap((flag) => ['--set', flag]),
        ...Object.entries(settings).flatMap(([key, value]) => ['--set', `${key}=${value}`]),
        ...(values.epochs ? ['--epochs', values.epochs] : []),
        ...(values['out-dir'] ? ['--out-dir', values['out-dir']] : []),
      ],
      io,
    );
    if (summary === undefined) return code;
    const valid = {
      'ndcg@10': meanOf(summary.valid['ndcg@10']),
      'hr@10': meanOf(summary.valid['hr@10']),
      'ndcg@20': meanOf(summary.valid['ndcg@20']),
      'hr@20': meanOf(summary.valid['hr@20']),
    };
    entries.push({ settings, valid, bestEpochs: summary.bestEpochs, runDir: summary.runDir });
    io.stderr(`  valid ndcg@10 ${valid['ndcg@10'].toFixed(4)}\n`);
  }

  const ranked = [...entries].sort((a, b) => b.valid['ndcg@10'] - a.valid['ndcg@10']);
  const winner = ranked[0]!;
  const report = {
    model,
    dataset: datasetName,
    selection: 'valid ndcg@10',
    seeds: values.seeds.split(',').map(Number),
    fixed: values.set ?? [],
    grid,
    ranked,
    best: winner.settings,
  };
  const keys = Object.keys(grid);
  const markdown = [
    `## Tuning ${model} on ${datasetName} (validation only; seeds ${values.seeds})`,
    '',
    `| ${keys.join(' | ')} | valid ndcg@10 | valid hr@10 | valid ndcg@20 | best epoch |`,
    `|${keys.map(() => '---').join('|')}|---|---|---|---|`,
    ...ranked.map(
      (entry) =>
        `| ${keys.map((key) => entry.settings[key]).join(' | ')} | ${entry.valid['ndcg@10'].toFixed(4)} | ${entry.valid['hr@10'].toFixed(4)} | ${entry.valid['ndcg@20'].toFixed(4)} | ${entry.bestEpochs.join(', ')} |`,
    ),
    '',
    `Best: ${Object.entries(winner.settings)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ')}${(values.set ?? []).length ? ` (with ${(values.set ?? []).join(', ')})` : ''}.`,
    `Command: \`pnpm reproduce tune ${args.join(' ')}\``,
    '',
  ].join('\n');
  const tuneDir = resolve(io.cwd, 'results', 'tune');
  await mkdir(tuneDir, { recursive: true });
  const base = `${datasetName}-${model}-${keys.join('+')}`;
  await writeFile(join(tuneDir, `${base}.md`), markdown);
  await writeFile(join(tuneDir, `${base}.json`), `${JSON.stringify(report, null, 2)}\n`);
  io.stdout(values.json ? `${JSON.stringify(report)}\n` : markdown);
  return 0;
}

/** `key=v1,v2` flags to {key: [v1, v2]}; a key given twice or without values is an error. */
export function parseGrid(flags: string[]): Record<string, string[]> {
  if (flags.length === 0) throw new UsageError('tune needs at least one --grid key=v1,v2');
  const grid: Record<string, string[]> = {};
  for (const flag of flags) {
    const pair = splitKeyValue(flag);
    if (!pair) throw new UsageError(`--grid expects key=v1,v2, got "${flag}"`);
    const [key, list] = pair;
    if (key in grid) throw new UsageError(`--grid ${key} given twice; list its values once`);
    const options = list.split(',').map((value) => value.trim());
    if (options.some((value) => value === '')) throw new UsageError(`--grid ${key}: empty value in "${list}"`);
    grid[key] = options;
  }
  return grid;
}

/** Every combination of the grid's values, first key slowest. */
export function cartesian(grid: Record<string, string[]>): Record<string, string>[] {
  return Object.entries(grid).reduce<Record<string, string>[]>(
    (combinations, [key, options]) =>
      combinations.flatMap((combination) => options.map((value) => ({ ...combination, [key]: value }))),
    [{}],
  );
}
