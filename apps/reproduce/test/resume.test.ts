import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeSyntheticDataset } from './synthetic-dataset.test-helper';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const small = ['--set', 'hiddenSize=16', '--set', 'innerSize=32', '--set', 'maxLength=10', '--set', 'batchSize=16', '--set', 'learningRate=0.01'];

function trainArgs(dataDir: string, outDir: string) {
  return ['train', '--model', 'sasrec', '--data-dir', dataDir, '--epochs', '6', '--seed', '4', '--out-dir', outDir, '--json', ...small];
}

function runToEnd(args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  if (result.status !== 0) throw new Error(`cli exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

describe('reproduce train, killed and resumed (built CLI, synthetic data)', () => {
  it('ends with the same metrics as an uninterrupted run', async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`pnpm test\` (it builds first) or \`pnpm build\``);
    const dataDir = writeSyntheticDataset();
    const straight = runToEnd(trainArgs(dataDir, mkdtempSync(join(tmpdir(), 'imecd-runs-'))));

    // Start the same run and SIGKILL it once two epochs are checkpointed.
    const outDir = mkdtempSync(join(tmpdir(), 'imecd-runs-'));
    const child = spawn(process.execPath, [cli, ...trainArgs(dataDir, outDir)], { stdio: 'ignore', env: { ...process.env, CI: 'true' } });
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
});
