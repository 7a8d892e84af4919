import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TrainingJobsError } from './errors';
import { seedDirectory } from './run-directory';

/**
 * Seeds trained in child processes, at most `jobs` at once: each child continues the run folder
 * for one seed, so the folder layout, checkpoints and resume behave exactly as in one process, and
 * the parent then reads every seed's metrics.json. (wasm uses one core per process.)
 */
export interface SeedProcesses {
  /** Most child processes at once; 1 trains every seed in the calling process. */
  jobs: number;
  /**
   * The child that trains `seed` of the run in `runDir` to its seed folder's metrics.json, e.g. a
   * CLI's `train --resume RUN_DIR --only-seed SEED` (which calls trainRuns with `onlySeed`). Its
   * stdout is ignored; its stderr comes back line by line as 'seed-process-output' events.
   */
  command(runDir: string, seed: number): { file: string; args: string[]; env?: Record<string, string | undefined> };
}

/**
 * Trains the seeds of `runDir` that have no metrics.json yet in child processes; returns those
 * seeds. A child that fails makes a TrainingJobsError once all have ended.
 */
export async function trainSeedsInProcesses(
  runDir: string,
  seeds: readonly number[],
  processes: SeedProcesses,
  onLine: (seed: number, line: string) => void,
): Promise<number[]> {
  const pending = seeds.filter((seed) => !existsSync(join(seedDirectory(runDir, seed), 'metrics.json')));
  const failures: string[] = [];
  const runOne = (seed: number) =>
    new Promise<void>((done) => {
      const { file, args, env } = processes.command(runDir, seed);
      const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], ...(env && { env }) });
      createInterface({ input: child.stderr }).on('line', (line) => onLine(seed, line));
      child.on('close', (code) => {
        if (code !== 0) failures.push(`seed ${seed} exited with code ${code}`);
        done();
      });
    });
  const queue = [...pending];
  await Promise.all(
    Array.from({ length: Math.min(processes.jobs, queue.length) }, async () => {
      for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) await runOne(seed);
    }),
  );
  if (failures.length) throw new TrainingJobsError(failures, runDir);
  return pending;
}
