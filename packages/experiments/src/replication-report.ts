import { type Improvement, type MetricImprovement, meanOf } from './improvement';
import { formatMetricCell } from './metric-cell';
import type { Hyperparameters } from './model-registry';
import { formatProtocol, type ProtocolDescription } from './protocol';
import type { TrainSummary } from './run-config';

/** One model's row of a replication: its test and validation metrics over the seeds, and its run. */
export type ReplicationRow = Pick<
  TrainSummary,
  'model' | 'test' | 'valid' | 'epochs' | 'bestEpochs' | 'secondsPerEpoch'
> & {
  /**
   * The run's folder. In the report replicate returns, absolute; in results/<dataset>.json, relative to
   * that file's folder (older files hold absolute paths): `resolve(dirname(file), runDir)` reads both.
   */
  runDir: string;
  /** The model's and trainer's settings that differ from today's defaults (see changedSettings); absent in older reports. */
  changedSettings?: Hyperparameters;
  /** Wall-clock hours of all seeds' epochs, added up (TrainSummary.hours); absent in older reports. */
  hours?: number;
};

/** What replicate found: results/<dataset>.json. */
export interface ReplicationReport {
  dataset: string;
  protocol: ProtocolDescription;
  backend: string;
  seeds: number[];
  /** A smoke run, not a result. */
  quick: boolean;
  /** The models of the main table and of the ablation table, in order. */
  tables: { main: string[]; ablations: string[] };
  rows: ReplicationRow[];
  /** The proposed model against the baselines; null without both or without per-user test ranks. */
  improvement: Improvement | null;
  /**
   * The proposed model against each of its ablations on test NDCG@10, paired over test users as `improvement`
   * is (`ablationTests[ablation]['ndcg@10']`; its `relative` is the full model's gain over the ablation). Null
   * without ablations or without per-user test ranks; absent in older reports.
   */
  ablationTests?: Record<string, Record<string, MetricImprovement>> | null;
}

const COLUMNS = ['hr@5', 'ndcg@5', 'hr@10', 'ndcg@10', 'hr@20', 'ndcg@20', 'mrr@20'] as const;
const percent = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
const pValue = (value: number) => (value < 1e-4 ? value.toExponential(1) : value.toFixed(4));

/**
 * The paper's tables in Markdown, with their protocol: the main table and the improvement with its
 * tests, the ablation table, the curves figure (`curvesFile`), epochs per model, and the command.
 */
export function renderReplicationMarkdown(
  report: ReplicationReport,
  options: { proposed: string; curvesFile?: string | undefined; command?: string | undefined },
): string {
  const { proposed, curvesFile, command } = options;
  const byModel = new Map(report.rows.map((row) => [row.model, row]));
  // The validation column is what model selection saw; test columns are what it is judged on.
  const table = (models: string[], extra?: { header: string; cell: (row: ReplicationRow) => string }) => [
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
  const { improvement } = report;
  if (improvement !== null) {
    const metrics = Object.keys(improvement.metrics);
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
      `| baseline | ${metrics.join(' | ')} |`,
      `|---|${metrics.map(() => '---').join('|')}|`,
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
    const full = meanOf(byModel.get(proposed)!.test['ndcg@10']);
    const tests = report.ablationTests ?? undefined;
    // The ablation's change against the full model, so a module that helps shows as a loss when removed.
    const versusFull = (row: ReplicationRow) => {
      if (row.model === proposed) return '';
      const change = percent((meanOf(row.test['ndcg@10']) - full) / full);
      const pairedTest = tests?.[row.model]?.['ndcg@10']?.tTest;
      return pairedTest === undefined ? change : `${change} (${pValue(pairedTest.pValue)})`;
    };
    const header = `test ndcg@10 vs ${proposed}${tests === undefined ? '' : ' (paired t-test p)'}`;
    lines.push('### Ablations', '', ...table(report.tables.ablations, { header, cell: versusFull }), '');
  }
  if (curvesFile !== undefined)
    lines.push('### Training curves', '', `![validation NDCG@10 per epoch](${curvesFile})`, '');
  const hours = (row: ReplicationRow) => (row.hours === undefined ? '–' : row.hours.toFixed(1));
  lines.push(
    '| model | epochs run (per seed) | best epoch (per seed) | s/epoch | hours (all seeds) |',
    '|---|---|---|---|---|',
    ...report.rows.map(
      (row) =>
        `| ${row.model} | ${row.epochs.join(', ')} | ${row.bestEpochs.join(', ')} | ${row.secondsPerEpoch.toFixed(1)} | ${hours(row)} |`,
    ),
    '',
    "Hours: wall-clock time of the seeds' epochs (training and validation passes), added up.",
    '',
    ...settingsTable(report.rows),
    `Backend ${report.backend}.${command === undefined ? '' : ` Command: \`${command}\``}`,
    '',
  );
  return lines.join('\n');
}

/** Per model, the settings that differ from the defaults (`key value; …`), when the report has them. */
function settingsTable(rows: readonly ReplicationRow[]): string[] {
  if (rows.every((row) => row.changedSettings === undefined)) return [];
  const describe = (settings: Hyperparameters | undefined) => {
    const entries = Object.entries(settings ?? {});
    return entries.length === 0 ? 'defaults' : entries.map(([key, value]) => `${key} ${value}`).join('; ');
  };
  return [
    "| model | settings that differ from the model's and the trainer's defaults |",
    '|---|---|',
    ...rows.map((row) => `| ${row.model} | ${describe(row.changedSettings)} |`),
    '',
  ];
}
