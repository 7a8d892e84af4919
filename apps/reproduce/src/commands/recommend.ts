import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend } from '@imecd/backend';
import { loadDataset } from '@imecd/data-amazon';
import { loadBestModel, openRun, seedDirectory } from '@imecd/experiments';
import { recommend } from '@imecd/recommender';
import { BACKEND_FLAGS_USAGE, backendOptions, parsePositiveInteger } from '../cli-args';
import type { CliIo } from '../cli-io';
import { MODELS } from '../registry';
import { UsageError } from '../usage-error';

export const RECOMMEND_USAGE = `pnpm reproduce recommend --run RUN_DIR --history ITEM,ITEM,... [--k 10] [--ids] [--json]

Loads the best checkpoint of a finished (or interrupted) training run, echoes the history it read
(id, key, title) and prints the top-K items for it. The history is oldest first; the model reads its
last maxLength items (50 by default). Items are the dataset's keys (ASINs), or with --ids the item
ids the pipeline gives them: 1..N, where a recbole-atomic dataset's 0-based <Name>.item2index
index i is id i + 1 and a sequential.txt dataset keeps its own ids (--json prints both for every
item). RUN_DIR is a run folder (its first seed is used) or one of its seed-N folders. Nothing is
excluded: items of the history may come back, as the evaluation protocol scores them.

${BACKEND_FLAGS_USAGE}`;

export async function runRecommend(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      run: { type: 'string' },
      history: { type: 'string' },
      k: { type: 'string', default: '10' },
      ids: { type: 'boolean', default: false },
      backend: { type: 'string' },
      threads: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.run === undefined || values.history === undefined)
    throw new UsageError(`recommend needs --run and --history.\n\n${RECOMMEND_USAGE}`);
  const k = parsePositiveInteger('--k', values.k);

  const { runDir, config, ...opened } = await openRun(resolve(io.cwd, values.run));
  const seedDir = opened.seedDir ?? seedDirectory(runDir, config.seeds[0]!);
  const seed = Number(/seed-(-?\d+)$/.exec(seedDir)?.[1] ?? config.seeds[0]);

  const selection = await selectBackend({
    ...backendOptions(values),
    env: io.env,
  });
  io.stderr(`backend ${selection.name}\n`);
  const dataset = await loadDataset(config.datasetDir, { name: config.dataset });
  const loaded = await loadBestModel(MODELS, config, dataset, seed, seedDir);
  if (!loaded) throw new UsageError(`${seedDir} has no checkpoint.bin: the run did not finish an epoch`);
  const { model } = loaded;
  try {
    const titleOf = (item: number) => dataset.itemTitles?.[item] ?? dataset.itemText?.[item];
    const keyToId = new Map(dataset.itemKeys.map((key, id) => [key, id]));
    const ids = values.history
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => (values.ids ? parseItemId(entry, dataset.numItems) : idOfKey(entry, keyToId, config.dataset)));
    const history = ids.map((item) => ({ item, key: dataset.itemKeys[item], title: titleOf(item) }));
    const results = recommend(model, ids, { k, itemKeys: dataset.itemKeys });
    const rows = results.map((entry, index) => ({
      rank: index + 1,
      item: entry.item,
      key: entry.key,
      score: entry.score,
      title: titleOf(entry.item),
    }));
    if (values.json) {
      io.stdout(
        `${JSON.stringify({ run: runDir, seed, model: config.model, dataset: config.dataset, history, recommendations: rows })}\n`,
      );
    } else {
      const read = ids.length > model.maxLength ? `; the model reads the last ${model.maxLength} of ${ids.length}` : '';
      io.stdout(`history (oldest first${read}):\n`);
      for (const entry of history)
        io.stdout(`     id ${entry.item}  ${entry.key}${entry.title ? `  ${entry.title.slice(0, 80)}` : ''}\n`);
      io.stdout(`${config.model} on ${config.dataset} (seed ${seed}), top ${k}:\n`);
      for (const row of rows) {
        io.stdout(
          `${String(row.rank).padStart(3)}. ${row.key ?? row.item}  ${row.score.toFixed(3)}${row.title ? `  ${row.title.slice(0, 80)}` : ''}\n`,
        );
      }
    }
  } finally {
    model.dispose();
  }
  return 0;
}

/** An item id of --history with --ids, or a UsageError saying what ids are. */
function parseItemId(text: string, numItems: number): number {
  const id = Number(text);
  if (!/^\d+$/.test(text) || id < 1 || id > numItems) {
    throw new UsageError(
      `--history with --ids: "${text}" is not an item id; ids run 1..${numItems} (for a 0-based <Name>.item2index index i, give i + 1)`,
    );
  }
  return id;
}

/** The id of a dataset key (ASIN) of --history, or a UsageError that points to --ids. */
function idOfKey(key: string, keyToId: ReadonlyMap<string, number>, dataset: string): number {
  const id = keyToId.get(key);
  if (id === undefined || id === 0)
    throw new UsageError(
      `--history: "${key}" is not an item key (ASIN) of ${dataset}; to give item ids 1..N, add --ids`,
    );
  return id;
}
