import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SMALL_SASREC, setFlags, writeSyntheticDataset } from '../synthetic-dataset.test-helper';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const small = setFlags(SMALL_SASREC);

/** IMECD's state beyond its weights (the VQ codebooks' fitted flag, the generator) must resume as exactly as SASRec's. */
const RESUMED_MODELS = ['sasrec', 'imecd'] as const;

function trainArgs(dataDir: string, outDir: string, model: (typeof RESUMED_MODELS)[number]) {
  return [
    'train',
    '--model',
    model,
    '--data-dir',
    dataDir,
    '--epochs',
    '6',
    '--seed',
    '4',
    '--out-dir',
    outDir,
    '--json',
    ...small,
  ];
}

function runToEnd(args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  if (result.status !== 0) throw new Error(`cli exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

describe.each(RESUMED_MODELS)('reproduce train --model %s, killed and resumed (built CLI, synthetic data)', (model) => {
  it('ends with the same metrics as an uninterrupted run', async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`pnpm test\` (it builds first) or \`pnpm build\``);
    const dataDir = writeSyntheticDataset();
    const straight = runToEnd(trainArgs(dataDir, mkdtempSync(join(tmpdir(), 'imecd-runs-')), model));

    // Start the same run and SIGKILL it once two epochs are checkpointed.
    const outDir = mkdtempSync(join(tmpdir(), 'imecd-runs-'));
    const child = spawn(process.execPath, [cli, ...trainArgs(dataDir, outDir, model)], {
      stdio: 'ignore',
      env: { ...process.env, CI: 'true' },
    });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    const historyLines = () => {
      const [runName] = readdirSync(outDir);
      const history = runName === undefined ? undefined : join(outDir, runName, 'seed-4', 'history.ndjson');
      return history && existsSync(history) ? readFileSync(history, 'utf8').trim().split('\n').length : 0;
    };
    const deadline = Date.now() + 60_000;
    while (historyLines() < 2 && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 20));
    child.kill('SIGKILL');
    await exited;
    const done = historyLines();
    expect(done).toBeGreaterThanOrEqual(2);
    expect(done).toBeLessThan(6); // it really was interrupted

    const [runName] = readdirSync(outDir);
    const resumed = runToEnd(['train', '--resume', join(outDir, runName!), '--json']);
    expect(resumed.test).toEqual(straight.test);
    expect(resumed.valid).toEqual(straight.valid);
    expect(resumed.bestEpochs).toEqual(straight.bestEpochs);
  }, 120_000);

  it('with --checkpoint-every 0, checkpoints inside epochs and resumes from one to the same metrics', async () => {
    const dataDir = writeSyntheticDataset();
    const straight = runToEnd(trainArgs(dataDir, mkdtempSync(join(tmpdir(), 'imecd-runs-')), model));

    const outDir = mkdtempSync(join(tmpdir(), 'imecd-runs-'));
    const child = spawn(process.execPath, [cli, ...trainArgs(dataDir, outDir, model), '--checkpoint-every', '0'], {
      stdio: 'ignore',
      env: { ...process.env, CI: 'true' },
    });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    // Wait for a checkpoint written inside epoch 2 or later (its JSON header says so).
    const midEpochCheckpoint = () => {
      const [runName] = readdirSync(outDir);
      const file = runName === undefined ? undefined : join(outDir, runName, 'seed-4', 'checkpoint.bin');
      if (!file || !existsSync(file)) return false;
      const bytes = readFileSync(file);
      const header = JSON.parse(bytes.toString('utf8', 12, 12 + bytes.readUInt32LE(8))); // magic, JSON length, JSON
      return (header.partialEpoch?.epoch ?? 0) >= 2;
    };
    const deadline = Date.now() + 60_000;
    while (!midEpochCheckpoint() && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 5));
    child.kill('SIGKILL');
    await exited;
    expect(Date.now()).toBeLessThan(deadline); // a mid-epoch checkpoint was seen before the kill

    const [runName] = readdirSync(outDir);
    const resumed = spawnSync(process.execPath, [cli, 'train', '--resume', join(outDir, runName!), '--json'], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    expect(resumed.status, resumed.stderr).toBe(0);
    // The kill may land after a later checkpoint, mid-epoch or not; either way the run continues exactly.
    expect(resumed.stderr).toMatch(/seed 4: resuming (in epoch \d+ after batch \d+|after epoch \d+)/);
    const result = JSON.parse(resumed.stdout);
    expect(result.test).toEqual(straight.test);
    expect(result.valid).toEqual(straight.valid);
  }, 120_000);
});

describe('reproduce train --jobs (built CLI, synthetic data)', () => {
  it('with --jobs 2, says which seeds its worker processes trained and tags their lines once', () => {
    const dataDir = writeSyntheticDataset();
    const outDir = mkdtempSync(join(tmpdir(), 'imecd-runs-'));
    const args = [
      'train',
      '--model',
      'sasrec',
      '--data-dir',
      dataDir,
      '--epochs',
      '1',
      '--seeds',
      '1,2',
      '--jobs',
      '2',
      '--out-dir',
      outDir,
      '--json',
      ...small,
    ];
    const first = spawnSync(process.execPath, [cli, ...args], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/^seed 1: trained by its worker process \(.*seed-1.metrics\.json\)$/m);
    expect(first.stderr).toMatch(/^seed 2: trained by its worker process/m);
    expect(first.stderr).toMatch(/^seed 1 epoch 1 /m);
    expect(first.stderr).toMatch(/^\[seed 2\] {3}valid ndcg@10 /m); // a child's line without its seed gets the tag
    expect(first.stderr).not.toMatch(/\[seed \d\] seed \d/);
    const again = spawnSync(process.execPath, [cli, ...args, '--reuse'], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/^seed 1: finished in an earlier run of .*; its metrics are reused$/m);
    // tfjs's advertisement for tfjs-node never reaches a user, on any backend; the CLI names the backend once.
    const [runName] = readdirSync(outDir);
    const evaluated = spawnSync(
      process.execPath,
      [cli, 'evaluate', '--run', join(outDir, runName!), '--backend', 'cpu', '--json'],
      { encoding: 'utf8', env: { ...process.env, CI: 'true' } },
    );
    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(evaluated.stderr).toBe('backend cpu\n');
    for (const output of [first.stderr, again.stderr])
      expect(output).not.toMatch(/looks like you are running TensorFlow/);
  }, 120_000);
});
