import { formatMeanStd, type MeanStd } from '@imecd/metrics';

/** One table cell: a single run's value to 4 decimals, several seeds' as mean ± std, '-' when absent. */
export function formatMetricCell(value: MeanStd | number | undefined): string {
  return value === undefined ? '-' : typeof value === 'number' ? value.toFixed(4) : formatMeanStd(value);
}
