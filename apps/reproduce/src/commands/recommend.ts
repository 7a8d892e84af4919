import { parseArgs } from 'node:util';
import { selectBackend, type BackendChoice } from '@imecd/backend';
import { loadDataset } from '@imecd/data-amazon';
import { recommend } from '@imecd/recommender';
import type { CliIo } from '../cli-io';
import { parsePositiveInteger } from '../cli-args';
import { seedDirectory } from '../run-directory';
import { loadBestModel, openRun } from '../trained-run';
import { UsageError } from '../usage-error';

export const RECOMMEND_USAGE = `pnpm reproduce recommend --run RUN_DIR --history ITEM,ITEM,... [--k 10] [--ids] [--json]

Loads the best checkpoint of a finished (or interrupted) training run and prints the top-K items
for a history, oldest first. Items are the dataset's keys (ASINs), or dense ids with --ids.
RUN_DIR is a run folder (its first seed is used) or one of its seed-N folders. Nothing is
excluded: items of the history may come back, as the evaluation protocol scores them.`;

export async function runRecommend(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      run: { type: 'string' },
      history: { type: 'string' },
      k: { type: 'string', default: '10' },
      ids: { type: 'boolean', default: false },
      backend: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.run === undefined || values.history === undefined) throw new UsageError(`recommend needs --run and --history.\n\n${RECOMMEND_USAGE}`);
  const k = parsePositiveInteger('--k', values.k);

  const { runDir, config, ...opened } = await openRun(io.cwd, values.run);
  const seedDir = opened.seedDir ?? seedDirectory(runDir, config.seeds[0]!);
  const seed = Number(/seed-(-?\d+)$/.exec(seedDir)?.[1] ?? config.seeds[0]);

  await selectBackend({ ...(values.backend ? { backend: values.backend as BackendChoice } : {}), env: io.env });
  const dataset = await loadDataset(config.datasetDir, { name: config.dataset });
  const loaded = await loadBestModel(config, dataset, seed, seedDir);
  if (!loaded) throw new UsageError(`${seedDir} has no checkpoint.bin: the run did not finish an epoch`);
  const { model } = loaded;
  try {
    const history = values.history.split(',').map((entry) => entry.trim()).filter(Boolean);
    const items = values.ids ? history.map(Number) : history;
    const results = recommend(model, items, { k, itemKeys: dataset.itemKeys });
    const rows = results.map((entry, index) => ({
      rank: index + 1,
      item: entry.item,
      key: entry.key,
      score: entry.score,
      title: dataset.itemTitles?.[entry.item] ?? dataset.itemText?.[entry.item],
    }));
    if (values.json) {
      io.stdout(`${JSON.stringify({ run: runDir, seed, model: config.model, dataset: config.dataset, recommendations: rows })}\n`);
    } else {
      io.stdout(`${config.model} on ${config.dataset} (seed ${seed}), top ${k}:\n`);
      for (const row of rows) {
        io.stdout(`${String(row.rank).padStart(3)}. ${row.key ?? row.item}  ${row.score.toFixed(3)}${row.title ? `  ${row.title.slice(0, 80)}` : ''}\n`);
      }
    }
  } finally {
    model.dispose();
  }
  return 0;
}
