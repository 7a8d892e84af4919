import { resolve } from 'node:path';
import { selectBackend } from '@imecd/backend';
import { loadDataset } from '@imecd/data-amazon';
import { isReportName, replicate } from '@imecd/experiments';
import { backendOptions, DATASET_FLAGS, JSON_FLAG, parseFlags, parseInteger, parsePositiveInteger } from '../cli-args';
import type { CliIo } from '../cli-io';
import { resolveSettings } from '../presets';
import { MODELS } from '../registry';
import { progressLogger, runnerOptions } from '../runner';
import { DEFAULT_DATASET, resolveDatasetFolder } from '../shipped-datasets';
import { UsageError } from '../usage-error';

/** The paper's two tables: the proposed model against the baselines, and against its ablations. */
const PROPOSED = 'imecd';
const isAblation = (model: string) => model.startsWith(`${PROPOSED}-`);
const DEFAULT_MODELS = ['pop', 'sasrec', 'mm-fusion', PROPOSED, ...MODELS.names.filter(isAblation)];

export const REPLICATE_USAGE = `pnpm reproduce [replicate] [--dataset NAME | --data-dir DIR] [--models LIST] [--seeds 1,2,3] [--jobs 2] [--quick] [--reuse] [--report NAME] [--json]

The main job: trains each model on the dataset (default ${DEFAULT_DATASET}) over several seeds and
prints the paper's tables with their protocol: the main table (baselines and ${PROPOSED}, with the
relative improvement of ${PROPOSED} over the best baseline and paired significance tests over test
users) and the ablation table; test HR/NDCG @5/10/20 and MRR@20, mean ± std. Writes
results/<dataset>.md, .json and .curves.svg (validation NDCG@10 per epoch). Progress goes to stderr.

  --models LIST   default ${DEFAULT_MODELS.join(',')}
  --quick         caps training at 3 epochs: a smoke run, written to results/<dataset>.quick.*
  --reuse         continue (or just read) runs in --out-dir with the same settings: a killed
                  replication picks up where it stopped
  --jobs N        seeds trained at once, one process each (default 2)
  --report NAME   write results/NAME.md, .json and .curves.svg instead of results/<dataset>.*:
                  a table of other models beside the dataset's main one`;

export async function runReplicate(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, {
    ...DATASET_FLAGS,
    models: { type: 'string', default: DEFAULT_MODELS.join(',') },
    seeds: { type: 'string', default: '1,2,3' },
    jobs: { type: 'string', default: '2' },
    quick: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    'out-dir': { type: 'string' },
    report: { type: 'string' },
    ...JSON_FLAG,
  });
  const reportName = values.report;
  if (reportName !== undefined && !isReportName(reportName))
    throw new UsageError(`--report takes a file name stem (letters, digits, '.', '_', '-'), got "${reportName}"`);
  const dataDir = values['data-dir'];
  const { name, dir } = resolveDatasetFolder(values, io);
  const models = values.models.split(',').filter(Boolean);
  for (const model of models) {
    if (!MODELS.has(model))
      throw new UsageError(`unknown model "${model}" in --models; choose from ${MODELS.names.join(', ')}`);
  }
  const jobs = parsePositiveInteger('--jobs', values.jobs);
  const { threads } = backendOptions({}, io.env, jobs);
  const { name: backend } = await selectBackend({ threads, env: io.env });
  const dataset = await loadDataset(dir, { name });
  // Each model's run is the one `pnpm reproduce train` would make with these flags.
  const trainArgs = (model: string) => [
    ...['--model', model, ...(dataDir ? ['--data-dir', dataDir] : []), '--dataset', name],
    ...['--seeds', values.seeds, '--jobs', values.jobs],
    ...(values.quick ? ['--epochs', '3'] : []),
    ...(values.reuse ? ['--reuse'] : []),
    ...(values['out-dir'] ? ['--out-dir', values['out-dir']] : []),
  ];
  const { markdown, report, files } = await replicate(
    {
      ...runnerOptions(io, backend, jobs, 300, threads),
      dataset,
      datasetName: name,
      datasetDir: dir,
      models,
      seeds: values.seeds.split(',').map((seed) => parseInteger('--seeds', seed)),
      outDir: resolve(io.cwd, values['out-dir'] ?? 'runs'),
      reuse: values.reuse,
      settingsFor: (model) => {
        const settings = resolveSettings(name, model, {});
        if (values.quick) settings.train.epochs = 3;
        return settings;
      },
      commandFor: (model) => `pnpm reproduce train ${[...trainArgs(model), '--json'].join(' ')}`,
      proposed: PROPOSED,
      quick: values.quick,
      command: `pnpm reproduce${args.length ? ` ${args.join(' ')}` : ''}`,
      reportDir: resolve(io.cwd, 'results'),
      ...(reportName !== undefined && { reportName }),
    },
    { onEvent: progressLogger(io) },
  );
  io.stderr(`wrote ${files.join(', ')}\n`);
  io.stdout(values.json ? `${JSON.stringify(report)}\n` : markdown);
  return 0;
}
