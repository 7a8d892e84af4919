import { formatMeanStd, type MeanStd } from '@imecd/metrics';

/** One table cell: a single run's value to 4 decimals, several seeds' as mean ± std, '-' when absent. */
export function formatMetricCell(value: MeanStd | number | undefined): string {
  return value === undefined ? '-' : typeof value === 'number' ? value.toFixed(4) : formatMeanStd(value);
}

/** The lines of a Markdown table with a row for each split (valid, test) and a column for each of `keys`. */
export function formatMetricsTable(
  splits: Record<'valid' | 'test', Readonly<Record<string, MeanStd | number | undefined>>>,
  keys: readonly string[],
): string[] {
  return [
    `| split | ${keys.join(' | ')} |`,
    `|---|${keys.map(() => '---').join('|')}|`,
    ...(['valid', 'test'] as const).map(
      (split) => `| ${split} | ${keys.map((key) => formatMetricCell(splits[split][key])).join(' | ')} |`,
    ),
  ];
}
