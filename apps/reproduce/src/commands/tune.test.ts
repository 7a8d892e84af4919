import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../cli-io.test-helper';
import { writeSyntheticDataset } from '../synthetic-dataset.test-helper';

describe('pnpm reproduce tune, on synthetic data', () => {
  it('ranks the combinations by validation NDCG@10, shows no test metric, and reuses runs on rerun', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'imecd-tune-'));
    const dataDir = writeSyntheticDataset();
    const argv = [
      'tune',
      '--model',
      'sasrec',
      '--data-dir',
      dataDir,
      '--dataset',
      'synthetic',
      '--grid',
      'dropout=0.1,0.5',
      '--epochs',
      '2',
      '--out-dir',
      join(cwd, 'runs'),
      '--json',
    ];
    const first = await runCaptured(argv, { cwd, env: { IMECD_BACKEND: 'cpu' } });
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.ranked).toHaveLength(2);
    expect(report.ranked[0].valid['ndcg@10']).toBeGreaterThanOrEqual(report.ranked[1].valid['ndcg@10']);
    expect(report.best).toEqual(report.ranked[0].settings);
    expect(first.stdout).not.toMatch(/"test"/);
    expect(readFileSync(join(cwd, 'results', 'tune', 'synthetic-sasrec-dropout.md'), 'utf8')).toMatch(
      /\| dropout \| valid ndcg@10 \|/,
    );

    const second = await runCaptured(argv, { cwd, env: { IMECD_BACKEND: 'cpu' } });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr.match(/reusing /g)).toHaveLength(2);
    expect(JSON.parse(second.stdout).ranked).toEqual(report.ranked);
  }, 180_000);

  it('is a usage error without --grid or with an unknown setting', async () => {
    const dataDir = writeSyntheticDataset();
    const missing = await runCaptured(['tune', '--model', 'sasrec', '--data-dir', dataDir, '--dataset', 'synthetic']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/at least one --grid/);
    const unknown = await runCaptured(
      ['tune', '--model', 'sasrec', '--data-dir', dataDir, '--dataset', 'synthetic', '--grid', 'nonsense=1,2'],
      { env: { IMECD_BACKEND: 'cpu' } },
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown setting "nonsense"/);
  });
});
