import { resolve } from 'node:path';
import { selectBackend } from '@imecd/backend';
import { exportRunModel, openRun } from '@imecd/experiments';
import { JSON_FLAG, parseFlags, parseInteger } from '../cli-args';
import type { CliIo } from '../cli-io';
import { MODELS } from '../registry';
import { loadRunDataset } from '../run-dataset';
import { UsageError } from '../usage-error';

export const EXPORT_USAGE = `pnpm reproduce export --run RUN_DIR --out DIR [--seed N] [--overwrite] [--json]

Writes the best-validation model of one seed of a run (default: the first, or the seed-N folder
given) as a portable model directory: model.json (TensorFlow.js weights manifest, the model's card:
name, settings, dataset, protocol, test metrics), catalogue.json (item keys and titles) and weight
shards, with the features the model reads. Load it with loadModelDirectory of @imecd/experiments
(a folder, a URL or files in memory; @imecd/experiments/portable in a browser).`;

export async function runExport(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, {
    run: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string' },
    overwrite: { type: 'boolean', default: false },
    ...JSON_FLAG,
  });
  if (values.run === undefined || values.out === undefined)
    throw new UsageError(`export needs --run and --out.\n\n${EXPORT_USAGE}`);
  const run = resolve(io.cwd, values.run);
  const { config } = await openRun(run);
  await selectBackend({ backend: 'cpu', env: io.env }); // weights are only read and written
  const result = await exportRunModel({
    registry: MODELS,
    run,
    ...(values.seed === undefined ? {} : { seed: parseInteger('--seed', values.seed) }),
    dataset: await loadRunDataset(config, io),
    out: resolve(io.cwd, values.out),
    overwrite: values.overwrite,
  });
  const bytes = result.files.reduce((sum, file) => sum + file.bytes, 0);
  if (values.json) io.stdout(`${JSON.stringify(result)}\n`);
  else
    io.stdout(
      `${result.card.model} on ${result.card.dataset} (seed ${result.card.seed}, best epoch ${result.card.bestEpoch}, ` +
        `test NDCG@10 ${result.card.test['ndcg@10']?.toFixed(4)}) → ${result.dir}: ${result.files.length} files, ${bytes} bytes\n`,
    );
  return 0;
}
