import { datasetStatistics, loadDataset } from '@imecd/data-amazon';
import { DATASET_FLAGS, JSON_FLAG, parseFlags } from '../cli-args';
import type { CliIo } from '../cli-io';
import { resolveDatasetFolder } from '../shipped-datasets';

export const INFO_USAGE = `pnpm reproduce info [--dataset NAME | --data-dir DIR] [--json]

Loads a dataset through the full pipeline (5-core, chronological order, ids 1..N) and prints its
statistics: users, items, interactions, average length, density, modalities.`;

export async function runInfo(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, { ...DATASET_FLAGS, ...JSON_FLAG });
  const { name, dir } = resolveDatasetFolder(values, io);
  const dataset = await loadDataset(dir, { name });
  const stats = datasetStatistics(dataset);
  const report = { dataset: name, layout: dataset.layout, dir, ...stats };

  if (values.json) {
    io.stdout(`${JSON.stringify(report)}\n`);
    return 0;
  }
  const rows: [string, string][] = [
    ['dataset', `${name} (${dataset.layout})`],
    ['folder', dir],
    ['users', stats.users.toLocaleString('en-US')],
    ['items', stats.items.toLocaleString('en-US')],
    ['interactions', stats.interactions.toLocaleString('en-US')],
    ['length', `avg ${stats.avgLength.toFixed(2)}, min ${stats.minLength}, max ${stats.maxLength}`],
    ['density', stats.density.toExponential(3)],
    ['modalities', stats.modalities.join(', ')],
  ];
  for (const [modality, feature] of Object.entries(stats.features)) {
    const shape =
      feature.dim === undefined ? `${feature.levels} codes of ${feature.codesPerLevel}` : `${feature.dim}-d`;
    rows.push([
      modality.endsWith(' codes') ? modality : `${modality} features`,
      `${shape}, ${feature.itemsWithFeature} of ${stats.items} items`,
    ]);
  }
  const width = Math.max(...rows.map(([key]) => key.length));
  io.stdout(`${rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join('\n')}\n`);
  return 0;
}
