import { join } from 'node:path';
import { seedDirectory } from './run-directory';
import { readHistory } from './run-status';

/** One model's validation metric per epoch, averaged over the seeds that reached that epoch. */
export interface TrainingCurve {
  model: string;
  /** values[e] is epoch e + 1. */
  values: number[];
}

/** Reads seed-N/history.ndjson of a run folder; a model without history (Pop) gives no curve. */
export async function readTrainingCurve(
  model: string,
  runDir: string,
  seeds: number[],
  metric = 'ndcg@10',
): Promise<TrainingCurve | undefined> {
  const sums: number[] = [];
  const counts: number[] = [];
  for (const seed of seeds) {
    for (const record of await readHistory(join(seedDirectory(runDir, seed), 'history.ndjson'))) {
      const value = record.valid[metric];
      if (value === undefined) continue;
      sums[record.epoch - 1] = (sums[record.epoch - 1] ?? 0) + value;
      counts[record.epoch - 1] = (counts[record.epoch - 1] ?? 0) + 1;
    }
  }
  if (sums.length === 0) return undefined;
  return { model, values: Array.from(sums, (sum, epoch) => (sum ?? Number.NaN) / (counts[epoch] ?? 1)) };
}

// Colour-blind-safe qualitative palette (Okabe & Ito), cycled.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

/** A self-contained SVG line chart: validation metric per epoch, one line per model, with a legend. */
export function renderCurvesSvg(curves: TrainingCurve[], options: { title: string; metric?: string }): string {
  const metric = options.metric ?? 'ndcg@10';
  const width = 720;
  const height = 420;
  const margin = { left: 64, right: 180, top: 40, bottom: 48 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const epochs = Math.max(1, ...curves.map((curve) => curve.values.length));
  const finite = curves.flatMap((curve) => curve.values.filter(Number.isFinite));
  const top = niceCeiling(Math.max(1e-9, ...finite));
  const x = (epoch: number) => margin.left + (epochs === 1 ? 0 : ((epoch - 1) / (epochs - 1)) * plotWidth);
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="24" font-size="14">${escapeXml(options.title)}</text>`,
  ];
  for (let tick = 0; tick <= 5; tick++) {
    const value = (top * tick) / 5;
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${margin.left - 8}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${value.toFixed(3)}</text>`,
    );
  }
  const step = Math.max(1, Math.ceil(epochs / 10));
  for (let epoch = 1; epoch <= epochs; epoch += step) {
    parts.push(
      `<text x="${x(epoch).toFixed(1)}" y="${margin.top + plotHeight + 18}" text-anchor="middle">${epoch}</text>`,
    );
  }
  parts.push(
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#333"/>`,
    `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" stroke="#333"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 10}" text-anchor="middle">epoch</text>`,
    `<text transform="translate(16 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">valid ${escapeXml(metric)} (mean over seeds)</text>`,
  );
  curves.forEach((curve, index) => {
    const colour = COLOURS[index % COLOURS.length]!;
    const points = curve.values
      .map((value, epoch) => (Number.isFinite(value) ? `${x(epoch + 1).toFixed(1)},${y(value).toFixed(1)}` : undefined))
      .filter((point): point is string => point !== undefined);
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.join(' ')}"/>`);
    const legendY = margin.top + 16 + index * 20;
    parts.push(
      `<line x1="${width - margin.right + 16}" x2="${width - margin.right + 40}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${width - margin.right + 46}" y="${legendY}">${escapeXml(curve.model)}</text>`,
    );
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}

/** The smallest of 1, 2, 2.5, 5 × 10^k at or above `value`: a readable axis top. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 2.5, 5, 10]) if (factor * power >= value) return factor * power;
  return 10 * power;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
