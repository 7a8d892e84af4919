import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from '../cli-io';
import { formatMetricCell } from '../metric-cell';
import { formatProtocol, type ProtocolDescription } from '../protocol';
import { MODELS } from '../registry';
import { computeImprovement, type Improvement, meanOf } from '../results/improvement';
import { readTrainingCurve, renderCurvesSvg, type TrainingCurve } from '../results/training-curves';
import { DEFAULT_DATASET, resolveDatasetFolder } from '../shipped-datasets';
import { UsageError } from '../usage-error';
import { runTrainCaptured, type TrainSummary } from './train';

/** The paper's two tables: the proposed model against the baselines, and against its ablations. */
const PROPOSED = 'imecd';
const isAblation = (model: string) => model.startsWith(`${PROPOSED}-`);
const DEFAULT_MODELS = ['pop', 'sasrec', 'mm-fusion', PROPOSED, ...MODELS.names.filter(isAblation)];

export const REPLICATE_USAGE = `pnpm reproduce [replicate] [--dataset NAME | --data-dir DIR] [--models LIST] [--seeds 1,2,3] [--jobs 2] [--quick] [--reuse] [--json]

The main job: trains each model on the dataset (default ${DEFAULT_DATASET}) over several seeds and
prints the paper's tables with their protocol: the main table (baselines and ${PROPOSED}, with the
relative improvement of ${PROPOSED} over the best baseline and paired significance tests over test
users) and the ablation table; test HR/NDCG @5/10/20 and MRR@20, mean ± std. Writes
results/<dataset>.md, .json and .curves.svg (validation NDCG@10 per epoch). Progress goes to stderr.

  --models LIST   default ${DEFAULT_MODELS.join(',')}
  --quick         caps training at 3 epochs: a smoke run, written to results/<dataset>.quick.*
  --reuse         continue (or just read) runs in --out-dir with the same settings: a killed
                  replication picks up where it stopped
  --jobs N        seeds trained at once, one process each (default 2)`;

const COLUMNS = ['hr@5', 'ndcg@5', 'hr@10', 'ndcg@10', 'hr@20', 'ndcg@20', 'mrr@20'] as const;
const SIGNIFICANCE_METRICS = ['hr@10', 'ndcg@10', 'hr@20', 'ndcg@20'] as const;

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
      reuse: { type: 'boolean', default: false },
      'out-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const { name: datasetName } = resolveDatasetFolder(
    { dataset: values.dataset, dataDir: values['data-dir'] },
    io.env,
    io.cwd,
  );
  const datasetArgs = values['data-dir']
    ? ['--data-dir', values['data-dir'], '--dataset', datasetName]
    : ['--dataset', datasetName];
  const models = values.models.split(',').filter(Boolean);
  for (const model of models) {
    if (!MODELS.has(model))
      throw new UsageError(`unknown model "${model}" in --models; choose from ${MODELS.names.join(', ')}`);
  }

  const rows: TrainSummary[] = [];
  for (const [index, model] of models.entries()) {
    io.stderr(`[${index + 1}/${models.length}] ${model}\n`);
    const { code, summary } = await runTrainCaptured(
      [
        '--model',
        model,
        ...datasetArgs,
        '--seeds',
        values.seeds,
        '--jobs',
        values.jobs,
        ...(values.quick ? ['--epochs', '3'] : []),
        ...(values.reuse ? ['--reuse'] : []),
        ...(values['out-dir'] ? ['--out-dir', values['out-dir']] : []),
      ],
      io,
    );
    if (summary === undefined) return code;
    rows.push(summary);
  }

  const mainModels = models.filter((model) => !isAblation(model));
  const ablationModels = models.some(isAblation)
    ? models.filter((model) => model === PROPOSED || isAblation(model))
    : [];
  const improvement = await computeImprovement(
    PROPOSED,
    rows,
    mainModels.filter((model) => model !== PROPOSED),
    SIGNIFICANCE_METRICS,
  );
  const curves = (await Promise.all(rows.map((row) => readTrainingCurve(row.model, row.runDir, row.seeds)))).filter(
    (curve): curve is TrainingCurve => curve !== undefined,
  );
  const report = {
    dataset: datasetName,
    protocol: rows[0]!.protocol,
    backend: rows[0]!.backend,
    seeds: rows[0]!.seeds,
    quick: values.quick,
    tables: { main: mainModels, ablations: ablationModels },
    rows: rows.map((row) => ({
      model: row.model,
      test: row.test,
      valid: row.valid,
      epochs: row.epochs,
      bestEpochs: row.bestEpochs,
      secondsPerEpoch: row.secondsPerEpoch,
      runDir: row.runDir,
    })),
    improvement: improvement ?? null,
  };

  const resultsDir = resolve(io.cwd, 'results');
  await mkdir(resultsDir, { recursive: true });
  const stem = `${datasetName}${values.quick ? '.quick' : ''}`;
  const written: string[] = [];
  const write = async (name: string, content: string) => {
    await writeFile(join(resultsDir, name), content);
    written.push(join(resultsDir, name));
  };
  if (curves.length > 0) {
    await write(
      `${stem}.curves.svg`,
      renderCurvesSvg(curves, {
        title: `${datasetName}: validation NDCG@10 per epoch (mean over seeds ${report.seeds.join(', ')})`,
      }),
    );
  }
  const markdown = renderMarkdown(
    report,
    rows,
    improvement,
    curves.length > 0 ? `${stem}.curves.svg` : undefined,
    args,
  );
  await write(`${stem}.md`, markdown);
  await write(`${stem}.json`, `${JSON.stringify(report, null, 2)}\n`);
  io.stderr(`wrote ${written.join(', ')}\n`);
  io.stdout(values.json ? `${JSON.stringify(report)}\n` : markdown);
  return 0;
}

const percent = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
const pValue = (value: number) => (value < 1e-4 ? value.toExponential(1) : value.toFixed(4));

function renderMarkdown(
  report: {
    dataset: string;
    protocol: ProtocolDescription;
    backend: string;
    seeds: number[];
    quick: boolean;
    tables: { main: string[]; ablations: string[] };
  },
  rows: TrainSummary[],
  improvement: Improvement | undefined,
  curvesFile: string | undefined,
  args: string[],
): string {
  const byModel = new Map<string, TrainSummary>(rows.map((row) => [row.model, row]));
  // The validation column is what model selection saw; test columns are what it is judged on.
  const table = (models: string[], extra?: { header: string; cell: (row: TrainSummary) => string }) => [
    `| model | ${COLUMNS.join(' | ')} | valid ndcg@10 |${extra ? ` ${extra.header} |` : ''}`,
    `|---|${COLUMNS.map(() => '---').join('|')}|---|${extra ? '---|' : ''}`,
    ...models.map((model) => {
      const row = byModel.get(model)!;
      return `| ${model} | ${COLUMNS.map((key) => formatMetricCell(row.test[key])).join(' | ')} | ${formatMetricCell(row.valid['ndcg@10'])} |${extra ? ` ${extra.cell(row)} |` : ''}`;
    }),
  ];
  const lines = [
    `## ${report.dataset}: test metrics, mean ± std over seeds ${report.seeds.join(', ')}${report.quick ? ' (QUICK: 3 epochs, not a result)' : ''}`,
    '',
    formatProtocol(report.protocol),
    '',
    '### Main table',
    '',
    ...table(report.tables.main),
    '',
  ];
  if (improvement !== undefined) {
    lines.push(
      `${improvement.model} against the best baseline of each metric. p-values are two-sided, paired over the ` +
        `${Object.values(improvement.metrics)[0]?.users.toLocaleString('en-US')} test users (each user's metric averaged over seeds).`,
      '',
      '| metric | best baseline | baseline | imecd | improvement | paired t-test p | Wilcoxon p |',
      '|---|---|---|---|---|---|---|',
      ...Object.entries(improvement.metrics).map(
        ([metric, entry]) =>
          `| ${metric} | ${entry.baseline} | ${entry.baselineMean.toFixed(4)} | ${entry.mean.toFixed(4)} | ${percent(entry.relative)} | ${pValue(entry.tTest.pValue)} | ${pValue(entry.wilcoxon.pValue)} |`,
      ),
      '',
      `${improvement.model} against each baseline (relative difference of the means; paired t-test p in brackets):`,
      '',
      `| baseline | ${Object.keys(improvement.metrics).join(' | ')} |`,
      `|---|${Object.keys(improvement.metrics)
        .map(() => '---')
        .join('|')}|`,
      ...Object.entries(improvement.versus).map(
        ([baseline, entries]) =>
          `| ${baseline} | ${Object.values(entries)
            .map((entry) => `${percent(entry.relative)} (${pValue(entry.tTest.pValue)})`)
            .join(' | ')} |`,
      ),
      '',
    );
  }
  if (report.tables.ablations.length > 0) {
    const full = byModel.get(PROPOSED)!;
    lines.push(
      '### Ablations',
      '',
      ...table(report.tables.ablations, {
        header: `test ndcg@10 vs ${PROPOSED}`,
        cell: (row) =>
          row.model === PROPOSED
            ? ''
            : percent((meanOf(row.test['ndcg@10']) - meanOf(full.test['ndcg@10'])) / meanOf(full.test['ndcg@10'])),
      }),
      '',
    );
  }
  if (curvesFile !== undefined)
    lines.push('### Training curves', '', `![validation NDCG@10 per epoch](${curvesFile})`, '');
  lines.push(
    '| model | epochs run (per seed) | best epoch (per seed) | s/epoch |',
    '|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.model} | ${row.epochs.join(', ')} | ${row.bestEpochs.join(', ')} | ${row.secondsPerEpoch.toFixed(1)} |`,
    ),
    '',
    `Backend ${report.backend}. Command: \`pnpm reproduce${args.length ? ` ${args.join(' ')}` : ''}\``,
    '',
  );
  return lines.join('\n');
}
