import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One measured epoch of `pnpm reproduce train --workers N`. */
export interface WorkerEpoch {
  workers: number;
  /** The training steps of epoch 1 (the run's history.ndjson `trainSeconds`), validation excluded. */
  trainSeconds: number;
  batches: number;
}

const CLI = fileURLToPath(new URL('../../reproduce/dist/cli.js', import.meta.url));

/**
 * Trains sasrec on toys for one epoch through the reproduce CLI, once per worker count, and reads
 * back the time of the training steps: what a user running `train --workers N` gets, on the
 * trainer's own length-bucketed batches (the same windows as the sasrec-epoch case, in the
 * trainer's epoch-1 order). `threads` wasm threads in all, shared among the workers (at least one
 * each), as the CLI shares the cores by default. Throws when the CLI is not built or a run fails.
 */
export function measureWorkerEpochs(
  workerCounts: readonly number[],
  threads: number,
  log: (line: string) => void,
): WorkerEpoch[] {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`pnpm build\` first`);
  return workerCounts.map((workers) => {
    const outDir = mkdtempSync(join(tmpdir(), 'imecd-bench-workers-'));
    try {
      const threadsEach = Math.max(1, Math.floor(threads / workers));
      log(`reproduce train --model sasrec --dataset toys --epochs 1 --workers ${workers} --threads ${threadsEach}…`);
      const run = spawnSync(
        process.execPath,
        [
          CLI,
          'train',
          '--model',
          'sasrec',
          '--dataset',
          'toys',
          '--epochs',
          '1',
          '--workers',
          String(workers),
          '--threads',
          String(threadsEach),
          '--out-dir',
          outDir,
          '--json',
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, CI: 'true' },
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      if (run.status !== 0)
        throw new Error(`train --workers ${workers} exited with ${run.status}: ${run.stderr.slice(-2000)}`);
      const [runName] = readdirSync(outDir);
      const [line] = readFileSync(join(outDir, runName!, 'seed-1', 'history.ndjson'), 'utf8')
        .trim()
        .split('\n');
      const record = JSON.parse(line!) as { trainSeconds?: number };
      if (record.trainSeconds === undefined)
        throw new Error('the run recorded no trainSeconds (an older reproduce build?)');
      const batches = Number(/epoch 1 \d+\/(\d+)/.exec(run.stderr)?.[1] ?? Number.NaN);
      return { workers, trainSeconds: record.trainSeconds, batches };
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
}
