import { resolve } from 'node:path';
import {
  AMAZON_2018_DOWNLOADS,
  type DownloadEvent,
  datasetStatistics,
  downloadAmazon2018,
  loadDataset,
} from '@imecd/data-amazon';
import { JSON_FLAG, parseFlags } from '../cli-args';
import { type CliIo, progressBar } from '../cli-io';
import { UsageError } from '../usage-error';

export const PREPARE_USAGE = `pnpm reproduce prepare --dataset NAME [--download] [--out DIR] [--mirror URL] [--json]

Fetches (with --download) the official Amazon 2018 5-core review file and meta file of one of the
paper's categories, resumably and verified, into DIR (default: data/NAME), then runs the pipeline
(items without meta dropped, 5-core, chronological leave-one-out) and prints the statistics.
Without --download the files must already be in DIR under their official names.
Names: ${Object.keys(AMAZON_2018_DOWNLOADS).join(', ')}. Then train with --data-dir DIR.`;

export async function runPrepare(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, {
    dataset: { type: 'string' },
    download: { type: 'boolean', default: false },
    out: { type: 'string' },
    mirror: { type: 'string' },
    ...JSON_FLAG,
  });
  const name = values.dataset;
  if (name === undefined) throw new UsageError(`prepare needs --dataset NAME.\n\n${PREPARE_USAGE}`);
  if (!Object.hasOwn(AMAZON_2018_DOWNLOADS, name)) {
    throw new UsageError(`unknown download "${name}". Choose one of: ${Object.keys(AMAZON_2018_DOWNLOADS).join(', ')}`);
  }
  const dir = resolve(io.cwd, values.out ?? `data/${name}`);

  if (values.download) {
    const bars = new Map<string, ReturnType<typeof progressBar>>();
    const onEvent = (event: DownloadEvent) => {
      const label = event.file.split(/[\\/]/).pop() ?? event.file;
      let bar = bars.get(event.file);
      if (!bar) {
        bar = progressBar(io);
        bars.set(event.file, bar);
      }
      if (event.type === 'download-start') {
        if (event.resumedFrom > 0) io.stderr(`resuming ${label} at ${event.resumedFrom} bytes\n`);
      } else if (event.type === 'download-progress') {
        bar.update({ label, done: event.loaded, total: event.total, unit: 'bytes' });
      } else {
        bar.finish({
          label,
          done: event.bytes,
          total: event.bytes,
          unit: 'bytes',
          detail: `sha256 ${event.sha256.slice(0, 12)}`,
        });
      }
    };
    await downloadAmazon2018(name, dir, { onEvent, ...(values.mirror ? { baseUrl: values.mirror } : {}) });
  }

  const dataset = await loadDataset(dir, { name });
  const stats = datasetStatistics(dataset);
  if (values.json) {
    io.stdout(`${JSON.stringify({ dataset: name, layout: dataset.layout, dir, ...stats })}\n`);
  } else {
    io.stdout(
      `${name}: ${stats.users} users, ${stats.items} items, ${stats.interactions} interactions ` +
        `(avg length ${stats.avgLength.toFixed(2)}) in ${dir}\nTrain on it with --data-dir ${dir}\n`,
    );
  }
  return 0;
}
