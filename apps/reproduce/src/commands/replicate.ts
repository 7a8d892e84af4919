import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatMeanStd, type MeanStd } from '@imecd/metrics';
import type { CliIo } from '../cli-io';
import { ALL_MODEL_NAMES, isModelName } from '../models';
import { formatProtocol, type ProtocolDescription } from '../protocol';
import { DEFAULT_DATASET, resolveDatasetFolder } from '../shipped-datasets';
import { UsageError } from '../usage-error';
import { runTrain } from './train';

/**
 * What a plain `pnpm reproduce` trains. IMECD and its ablations join once their presets are tuned
 * on validation; until then the default run stays as fast as it was.
 */
const DEFAULT_MODELS = ['pop', 'sasrec'];

export const REPLICATE_USAGE = `pnpm reproduce [replicate] [--dataset NAME | --data-dir DIR] [--models pop,sasrec] [--seeds 1,2,3] [--jobs 2] [--quick] [--json]

The main job: trains each model on the dataset (default ${DEFAULT_DATASET}) over several seeds and
prints the results table (test HR/NDCG @5/10/20 and MRR@20, mean ± std) with its protocol; writes
results/<dataset>.md and results/<dataset>.json. --quick caps training at 3 epochs (a smoke run).
Default models: ${DEFAULT_MODELS.join(', ')}; --models may name any of ${ALL_MODEL_NAMES.join(', ')}.`;

const COLUMNS = ['hr@5', 'ndcg@5', 'hr@10', 'ndcg@10', 'hr@20', 'ndcg@20', 'mrr@20'] as const;

interface TrainSummary {
  model: string;
  backend: string;
  protocol: ProtocolDescription;
  seeds: number[];
  valid: Record<string, MeanStd | number>;
  test: Record<string, MeanStd | number>;
  secondsPerEpoch: number;
  runDir: string;
}

export async function runReplicate(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dataset: { type: 'string' },
      'data-dir': { type: 'string' },
      models: { type: 'string', default: DEFAULT_MODELS.join(',') },
      seeds: { type: 'string', default: '1,2,3' },
      jobs: { type: 'string', default: '2' },
      quick: { type: 'boolean', default: false },
      'out-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const { name: datasetName } = resolveDatasetFolder({ dataset: values.dataset, dataDir: values['data-dir'] }, io.env, io.cwd);
  const datasetArgs = values['data-dir'] ? ['--data-dir', values['data-dir'], '--dataset', datasetName] : ['--dataset', datasetName];
  const models = values.models.split(',').filter(Boolean);
  for (const model of models) {
    if (!isModelName(model)) throw new UsageError(`unknown model "${model}" in --models; choose from ${ALL_MODEL_NAMES.join(', ')}`);
  }

  const rows: TrainSummary[] = [];
  for (const model of models) {
    let captured = '';
    const code = await runTrain(
      [
        '--model', model, ...datasetArgs, '--seeds', values.seeds, '--jobs', values.jobs, '--json',
        ...(values.quick ? ['--epochs', '3'] : []),
        ...(values['out-dir'] ? ['--out-dir', values['out-dir']] : []),
      ],
      { ...io, stdout: (text) => { captured += text; } },
    );
    if (code !== 0) return code;
    rows.push(JSON.parse(captured) as TrainSummary);
  }

  const protocol = rows[0]!.protocol;
  const report = {
    dataset: datasetName,
    protocol,
    backend: rows[0]!.backend,
    seeds: rows[0]!.seeds,
    quick: values.quick,
    rows: rows.map((row) => ({ model: row.model, test: row.test, valid: row.valid, secondsPerEpoch: row.secondsPerEpoch, runDir: row.runDir })),
  };
  const show = (value: MeanStd | number | undefined) =>
    value === undefined ? '-' : typeof value === 'number' ? value.toFixed(4) : formatMeanStd(value);
  const table = [
    `## ${datasetName}: test metrics, mean ± std over seeds ${report.seeds.join(', ')}${values.quick ? ' (QUICK: 3 epochs, not a result)' : ''}`,
    '',
    formatProtocol(protocol),
    '',
    `| model | ${COLUMNS.join(' | ')} |`,
    `|---|${COLUMNS.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.model} | ${COLUMNS.map((key) => show(row.test[key])).join(' | ')} |`),
    '',
    `Backend ${report.backend}. Command: \`pnpm reproduce${args.length ? ` ${args.join(' ')}` : ''}\``,
    '',
  ].join('\n');

  const resultsDir = resolve(io.cwd, 'results');
  await mkdir(resultsDir, { recursive: true });
  const stem = `${datasetName}${values.quick ? '.quick' : ''}`;
  await writeFile(join(resultsDir, `${stem}.md`), table);
  await writeFile(join(resultsDir, `${stem}.json`), `${JSON.stringify(report, null, 2)}\n`);
  io.stdout(values.json ? `${JSON.stringify(report)}\n` : table);
  return 0;
}
