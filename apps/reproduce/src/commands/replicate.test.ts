import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../cli-io.test-helper';
import { writeSyntheticDataset } from '../synthetic-dataset.test-helper';

describe('reproduce (the main job), quick, on synthetic data', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'imecd-replicate-'));
  const dataDir = writeSyntheticDataset();
  const argv = [
    '--data-dir',
    dataDir,
    '--dataset',
    'synthetic',
    '--models',
    'pop,sasrec,imecd,imecd-no-vq',
    '--seeds',
    '1,2',
    '--jobs',
    '1',
    '--quick',
    '--out-dir',
    join(cwd, 'runs'),
  ];
  const env = { IMECD_BACKEND: 'cpu' };

  it('prints the main and ablation tables with the protocol, the improvement and its tests; writes results/', async () => {
    const { code, stdout, stderr } = await runCaptured(argv, { cwd, env });
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/protocol: leave-one-out .* full ranking over all 40 items/);
    expect(stdout).toMatch(/QUICK/);
    const [main, ablations] = stdout.split('### Ablations');
    expect(main).toMatch(/### Main table[\s\S]*\| pop \| [0-9.]+ ± [0-9.]+ \|[\s\S]*\| sasrec \|[\s\S]*\| imecd \|/);
    expect(main).not.toMatch(/\| imecd-no-vq \|/);
    // Each ablation's change of test NDCG@10 against the full model, with the paired test's p.
    expect(ablations).toMatch(/\| test ndcg@10 vs imecd \(paired t-test p\) \|/);
    expect(ablations).toMatch(
      /\| imecd \|[\s\S]*\| imecd-no-vq \| .* \| [0-9.]+ ± [0-9.]+ \| [+-][0-9.]+% \([0-9.e-]+\) \|/,
    );
    // One line per significance metric: baseline, both means, improvement, two p-values.
    expect(stdout).toMatch(
      /\| ndcg@10 \| (pop|sasrec) \| [0-9.]+ \| [0-9.]+ \| [+-][0-9.]+% \| [0-9.e-]+ \| [0-9.e-]+ \|/,
    );

    const report = JSON.parse(readFileSync(join(cwd, 'results', 'synthetic.quick.json'), 'utf8'));
    expect(report.rows.map((row: { model: string }) => row.model)).toEqual(['pop', 'sasrec', 'imecd', 'imecd-no-vq']);
    expect(report.tables).toEqual({ main: ['pop', 'sasrec', 'imecd'], ablations: ['imecd', 'imecd-no-vq'] });
    expect(report.rows[1].test['ndcg@10']).toEqual({ mean: expect.any(Number), std: expect.any(Number), n: 2 });
    // Run folders relative to the report's folder, so a committed report names its runs in any checkout.
    for (const row of report.rows as { runDir: string }[]) {
      expect(isAbsolute(row.runDir), row.runDir).toBe(false);
      expect(existsSync(join(cwd, 'results', row.runDir, 'config.json')), row.runDir).toBe(true);
    }
    const ndcg = report.improvement.metrics['ndcg@10'];
    expect(['pop', 'sasrec']).toContain(ndcg.baseline);
    expect(ndcg.relative).toBeCloseTo((ndcg.mean - ndcg.baselineMean) / ndcg.baselineMean, 12);
    expect(ndcg.tTest.pValue).toBeGreaterThanOrEqual(0);
    expect(ndcg.tTest.pValue).toBeLessThanOrEqual(1);
    expect(ndcg.users).toBe(60);
    // The best-baseline entry is the comparison with that baseline; every baseline gets its own.
    expect(Object.keys(report.improvement.versus)).toEqual(['pop', 'sasrec']);
    expect(report.improvement.versus[ndcg.baseline]['ndcg@10']).toEqual(ndcg);
    expect(stdout).toMatch(/\| sasrec \| [+-][0-9.]+% \([0-9.e-]+\) \|/);
    // The full model against its ablation, on the same users; the table's p is this one.
    expect(Object.keys(report.ablationTests)).toEqual(['imecd-no-vq']);
    const ablation = report.ablationTests['imecd-no-vq']['ndcg@10'];
    expect(ablation.baseline).toBe('imecd-no-vq');
    expect(ablation.mean).toBe(report.rows[2].test['ndcg@10'].mean);
    expect(ablation.users).toBe(60);
    expect(ablations).toContain(
      `(${ablation.tTest.pValue < 1e-4 ? ablation.tTest.pValue.toExponential(1) : ablation.tTest.pValue.toFixed(4)}) |`,
    );
    // The table says which settings differ from the defaults: --quick's 3 epochs for every trained model.
    expect(stdout).toMatch(/\| model \| settings that differ from the model's and the trainer's defaults \|/);
    expect(stdout).toMatch(/\| imecd-no-vq \| [^|\n]*epochs 3[^|\n]* \|/);
    expect(report.rows[1].changedSettings.epochs).toBe(3);
    expect(existsSync(join(cwd, 'results', 'synthetic.quick.md'))).toBe(true);
    const written = ['curves.svg', 'md', 'json']
      .map((extension) => join(cwd, 'results', `synthetic.quick.${extension}`))
      .join(', ');
    expect(stderr).toContain(`wrote ${written}\n`);

    // Curves for the trained models (Pop has no epochs): one polyline each, 3 epochs wide.
    const svg = readFileSync(join(cwd, 'results', 'synthetic.quick.curves.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg).toContain('>imecd-no-vq</text>');
    expect(svg).not.toContain('>pop</text>');
  }, 240_000);

  it('with --reuse reads the finished runs instead of training again, and reports the same numbers', async () => {
    const before = JSON.parse(readFileSync(join(cwd, 'results', 'synthetic.quick.json'), 'utf8'));
    const { code, stderr } = await runCaptured([...argv, '--reuse'], { cwd, env });
    expect(code, stderr).toBe(0);
    expect(stderr.match(/reusing /g)).toHaveLength(4);
    expect(stderr).not.toMatch(/epoch 1/);
    const after = JSON.parse(readFileSync(join(cwd, 'results', 'synthetic.quick.json'), 'utf8'));
    expect(after.rows).toEqual(before.rows);
    expect(after.improvement).toEqual(before.improvement);
  }, 120_000);

  it('with --report NAME writes a table of other models beside the main one, which stays as it was', async () => {
    const main = readFileSync(join(cwd, 'results', 'synthetic.quick.md'), 'utf8');
    const models = argv.indexOf('--models') + 1;
    const two = argv.map((arg, index) => (index === models ? 'sasrec,imecd' : arg));
    const { code, stderr } = await runCaptured([...two, '--reuse', '--report', 'synthetic-pair'], { cwd, env });
    expect(code, stderr).toBe(0);
    expect(stderr).not.toMatch(/epoch 1/);
    const pair = JSON.parse(readFileSync(join(cwd, 'results', 'synthetic-pair.quick.json'), 'utf8'));
    expect(pair.rows.map((row: { model: string }) => row.model)).toEqual(['sasrec', 'imecd']);
    expect(pair.improvement.metrics['ndcg@10'].baseline).toBe('sasrec');
    expect(readFileSync(join(cwd, 'results', 'synthetic.quick.md'), 'utf8')).toBe(main);

    const bad = await runCaptured([...two, '--reuse', '--report', '../elsewhere'], { cwd, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--report takes a file name stem/);
  }, 120_000);
});
