import { resolve } from 'node:path';
import { selectBackend } from '@imecd/backend';
import { InvalidArgumentError } from '@imecd/core';
import { itemIdsOf } from '@imecd/data-amazon';
import { loadBestModel, openRun } from '@imecd/experiments';
import { recommend } from '@imecd/recommender';
import {
  BACKEND_FLAGS,
  BACKEND_FLAGS_USAGE,
  backendOptions,
  JSON_FLAG,
  parseFlags,
  parsePositiveInteger,
} from '../cli-args';
import type { CliIo } from '../cli-io';
import { MODELS } from '../registry';
import { loadRunDataset } from '../run-dataset';
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
  const values = parseFlags(args, {
    run: { type: 'string' },
    history: { type: 'string' },
    k: { type: 'string', default: '10' },
    ids: { type: 'boolean', default: false },
    ...BACKEND_FLAGS,
    ...JSON_FLAG,
  });
  if (values.run === undefined || values.history === undefined)
    throw new UsageError(`recommend needs --run and --history.\n\n${RECOMMEND_USAGE}`);
  const k = parsePositiveInteger('--k', values.k);

  const { runDir, config, seed, seedDir } = await openRun(resolve(io.cwd, values.run));

  const selection = await selectBackend({ ...backendOptions(values, io.env), env: io.env });
  io.stderr(`backend ${selection.name}\n`);
  const dataset = await loadRunDataset(config, io);
  const loaded = await loadBestModel(MODELS, config, dataset, seed, seedDir);
  if (!loaded) throw new UsageError(`${seedDir} has no checkpoint.bin: the run did not finish an epoch`);
  const { model } = loaded;
  try {
    const titleOf = (item: number) => dataset.itemTitles?.[item] ?? dataset.itemText?.[item];
    const ids = historyIds(() => itemIdsOf(dataset, values.history!.split(','), values.ids ? 'id' : 'key'));
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

/** The ids of --history, or a UsageError naming the entry (for a key, pointing to --ids). */
function historyIds(read: () => number[]): number[] {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    const hint = error.argument === 'item key' ? ' (--ids)' : '';
    throw new UsageError(`--history: ${error.message.replace(/^Invalid item (key|id): /, '')}${hint}`);
  }
}
