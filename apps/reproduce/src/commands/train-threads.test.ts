import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../cli-io.test-helper';
import { writeSyntheticDataset } from '../synthetic-dataset.test-helper';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

describe('train --threads', () => {
  it("runs wasm's threaded build with that many threads and records them in the run's environment", () => {
    const dataDir = writeSyntheticDataset();
    const outDir = mkdtempSync(join(tmpdir(), 'threads-runs-'));
    // A fresh process: wasm picks its build once per process.
    const result = spawnSync(
      process.execPath,
      [cli, 'train', '--model', 'sasrec', '--data-dir', dataDir, '--epochs', '1', '--out-dir', outDir, '--json'].concat(
        ['--backend', 'wasm', '--threads', '2', '--set', 'hiddenSize=16', '--set', 'maxLength=10'],
      ),
      // Only what a shell would pass: vitest's own variables would reach the pthread workers too. The
      // timeout turns a process that never ends (a command that never settles) into a failure here.
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CI: 'true' },
        timeout: 100_000,
      },
    );
    expect(result.status, `signal ${result.signal}\n${result.stderr}`).toBe(0);
    const [run] = readdirSync(outDir);
    const environment = JSON.parse(readFileSync(join(outDir, run!, 'environment.json'), 'utf8'));
    expect(environment).toMatchObject({ backend: 'wasm', threads: Math.min(2, availableParallelism()) });
    expect(environment.threadsFallback).toBeUndefined();
  }, 120_000);

  it('refuses a thread count or backend name that is not one, as a usage error', async () => {
    const zero = await runCaptured(['train', '--model', 'pop', '--dataset', 'scientific', '--threads', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--threads: expected a positive integer, got 0/);
    const gpu = await runCaptured(['train', '--model', 'pop', '--dataset', 'scientific', '--backend', 'gpu']);
    expect(gpu.code).toBe(2);
    expect(gpu.stderr).toMatch(
      /unknown backend "gpu"; valid names are auto, tensorflow-gpu, tensorflow, webgpu, wasm, cpu/,
    );
  });
});
