import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from './cli-io.test-helper';
import { writeSyntheticDataset } from './synthetic-dataset.test-helper';

describe('reproduce (the main job), quick, on synthetic data', () => {
  it('trains every model, prints the table with its protocol and writes results/', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'imecd-replicate-'));
    const dataDir = writeSyntheticDataset();
    const { code, stdout, stderr } = await runCaptured(
      ['--data-dir', dataDir, '--dataset', 'synthetic', '--seeds', '1,2', '--jobs', '1', '--quick', '--out-dir', join(cwd, 'runs')],
      { cwd, env: { IMECD_BACKEND: 'cpu' } },
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/protocol: leave-one-out .* full ranking over all 40 items/);
    expect(stdout).toMatch(/\| pop \| [0-9.]+ ± [0-9.]+ \|/);
    expect(stdout).toMatch(/\| sasrec \| [0-9.]+ ± [0-9.]+ \|/);
    expect(stdout).toMatch(/QUICK/);
    const report = JSON.parse(readFileSync(join(cwd, 'results', 'synthetic.quick.json'), 'utf8'));
    expect(report.rows.map((row: { model: string }) => row.model)).toEqual(['pop', 'sasrec']);
    expect(report.rows[1].test['ndcg@10']).toEqual({ mean: expect.any(Number), std: expect.any(Number), n: 2 });
    expect(existsSync(join(cwd, 'results', 'synthetic.quick.md'))).toBe(true);
  }, 120_000);
});
