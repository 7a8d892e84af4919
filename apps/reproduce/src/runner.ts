import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeBackend } from '@imecd/backend';
import { createProgressLogger, GradientWorkerError, type RunnerOptions } from '@imecd/experiments';
import { type CliIo, progressBar } from './cli-io';
import { MODELS } from './registry';

/**
 * How train, tune and replicate run their seeds: `jobs` processes of this CLI (`train --resume
 * RUN_DIR --only-seed N`, plain progress lines), and worker threads of dist/gradient-worker.js.
 */
export function runnerOptions(
  io: CliIo,
  backend: string,
  jobs: number,
  checkpointEvery: number,
  threads?: number,
): RunnerOptions {
  return {
    registry: MODELS,
    backend,
    environment: describeBackend(),
    checkpointEverySeconds: checkpointEvery,
    seedProcesses: {
      jobs,
      command: (runDir, seed) => ({
        file: process.execPath,
        args: [
          ...[process.argv[1]!, 'train', '--resume', runDir, '--only-seed', String(seed)],
          ...['--backend', backend, '--checkpoint-every', String(checkpointEvery)],
        ],
        // Plain progress lines from children; --threads reaches them as the variable it overrides.
        env: { ...io.env, CI: 'true', ...(threads === undefined ? {} : { IMECD_THREADS: String(threads) }) },
      }),
    },
    workerScript: gradientWorkerScript,
  };
}

/** What train, tune, replicate and evaluate show on stderr while they work (`header`: name the run). */
export function progressLogger(io: CliIo, header = true) {
  return createProgressLogger({ write: io.stderr, progressBar: () => progressBar(io), header });
}

/**
 * The built worker script: beside the bundle in dist/, or in ../dist/ when this module runs from
 * src/ (the tests); `pnpm build` makes it.
 */
function gradientWorkerScript(): string {
  for (const candidate of ['./gradient-worker.js', '../dist/gradient-worker.js']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new GradientWorkerError('dist/gradient-worker.js is missing; run `pnpm build` first');
}
