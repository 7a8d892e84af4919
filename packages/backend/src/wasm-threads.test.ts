import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const probe = fileURLToPath(new URL('../test-fixtures/kernel-values.mjs', import.meta.url));
const countWorkerWrites = fileURLToPath(new URL('../test-fixtures/count-worker-writes.cjs', import.meta.url));

interface ProbeResult {
  threads: number;
  values: Record<string, number[]>;
  /** The pthread worker scripts the process wrote (count-worker-writes.cjs). */
  workerWrites: string[];
}

/** Runs the probe in a fresh process (a process initialises wasm once) with `threads` threads. */
async function runProbe(threads: number): Promise<ProbeResult> {
  const writesFile = join(mkdtempSync(join(tmpdir(), 'worker-writes-')), 'writes.json');
  // The timeout also checks that the process ends by itself: a referenced pthread pool would keep it alive.
  const { stdout } = await promisify(execFile)(process.execPath, ['--require', countWorkerWrites, probe], {
    // Only what a shell would pass: under vitest's own variables the threaded CLI was seen to exit 13
    // (an unsettled await) more often (and the probe once with a shell's: selectBackend now holds on).
    env: {
      PATH: process.env.PATH ?? '',
      IMECD_THREADS: String(threads),
      KERNEL_BACKEND: 'wasm',
      WORKER_WRITES_FILE: writesFile,
    },
    timeout: 60_000,
    maxBuffer: 1 << 26,
  }).catch((error: Error & { stdout?: string; stderr?: string }) => {
    // What the probe printed says why (e.g. {"unavailable": …}), which execFile's message leaves out.
    throw new Error(`${error.message}\nstdout: ${error.stdout?.slice(0, 2000)}\nstderr: ${error.stderr?.slice(-2000)}`);
  });
  const { written } = JSON.parse(readFileSync(writesFile, 'utf8')) as { written: string[] };
  rmSync(dirname(writesFile), { recursive: true });
  return { ...JSON.parse(stdout), workerWrites: written };
}

describe('wasm with threads (the threaded SIMD build under Node, through patches/)', () => {
  it('computes every kernel the models use as the single-threaded build does, and the process ends by itself', async () => {
    const [one, two] = await Promise.all([runProbe(1), runProbe(2)]);
    expect(one.threads).toBe(1);
    // XNNPACK's pool is capped at the machine's cores: 2 where there are 2 or more.
    expect(two.threads).toBe(Math.min(2, (await import('node:os')).availableParallelism()));
    expect(Object.keys(two.values)).toEqual(Object.keys(one.values));
    for (const [name, values] of Object.entries(one.values)) {
      const other = two.values[name]!;
      expect(other.length, name).toBe(values.length);
      const worst = values.reduce(
        (max, value, index) => Math.max(max, Math.abs(value - other[index]!) / Math.max(1, Math.abs(value))),
        0,
      );
      expect(worst, name).toBeLessThan(1e-5);
    }
  }, 130_000);

  it("writes the pthread worker's script once per process, not once per worker, and removes it on exit", async () => {
    // Rewritten for each of the pool's eight workers, a worker that read it mid-write got an empty script,
    // never reported 'loaded', and the backend's start never settled: 11 of 820 starts under load hung.
    const two = await runProbe(2);
    expect(two.workerWrites).toHaveLength(1);
    expect(existsSync(dirname(two.workerWrites[0]!))).toBe(false); // its private directory went at exit
    const one = await runProbe(1);
    expect(one.workerWrites).toEqual([]);
  }, 130_000);

  it('rejects a thread count that is not a positive integer, naming the variable', async () => {
    const { selectBackend } = await import('./select-backend');
    await expect(selectBackend({ backend: 'cpu', env: { IMECD_THREADS: 'two' } })).rejects.toThrow(
      /IMECD_THREADS: expected a positive integer, got two/,
    );
    await expect(selectBackend({ backend: 'cpu', threads: 0 })).rejects.toThrow(
      /threads: expected a positive integer, got 0/,
    );
  });
});
