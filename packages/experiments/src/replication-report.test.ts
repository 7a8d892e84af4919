import { describe, expect, it } from 'vitest';
import type { MetricImprovement } from './improvement';
import { describeProtocol } from './protocol';
import { type ReplicationReport, type ReplicationRow, renderReplicationMarkdown } from './replication-report';

/** A row whose test NDCG@10 is `ndcg`; the other numbers do not matter here. */
function row(model: string, ndcg: number): ReplicationRow {
  return {
    model,
    test: { 'ndcg@10': { mean: ndcg, std: 0.001, n: 3 } },
    valid: { 'ndcg@10': { mean: ndcg, std: 0.001, n: 3 } },
    epochs: [3, 3, 3],
    bestEpochs: [2, 2, 2],
    secondsPerEpoch: 1,
    runDir: 'runs/x',
  };
}

/** What computeImprovement gives for the full model against one ablation (only the fields the table reads matter). */
function pairedTest(ablation: string, pValue: number): Record<string, MetricImprovement> {
  return {
    'ndcg@10': {
      baseline: ablation,
      baselineMean: 0,
      mean: 0,
      relative: 0,
      tTest: { t: 1, pValue },
      wilcoxon: { z: 1, pValue },
      users: 60,
    },
  };
}

const report: ReplicationReport = {
  dataset: 'synthetic',
  protocol: describeProtocol(40, 50),
  backend: 'cpu',
  seeds: [1, 2, 3],
  quick: false,
  tables: { main: ['imecd'], ablations: ['imecd', 'imecd-no-vq', 'imecd-no-cdg'] },
  rows: [row('imecd', 0.05), row('imecd-no-vq', 0.04), row('imecd-no-cdg', 0.0505)],
  improvement: null,
  ablationTests: { 'imecd-no-vq': pairedTest('imecd-no-vq', 0.0123), 'imecd-no-cdg': pairedTest('imecd-no-cdg', 3e-7) },
};

describe('renderReplicationMarkdown: the ablation table', () => {
  it("gives each ablation's change of test NDCG@10 against the full model with its paired t-test p", () => {
    const markdown = renderReplicationMarkdown(report, { proposed: 'imecd' });
    expect(markdown).toContain('| test ndcg@10 vs imecd (paired t-test p) |');
    expect(markdown).toMatch(/\| imecd-no-vq \| .* \| -20\.0% \(0\.0123\) \|/);
    expect(markdown).toMatch(/\| imecd-no-cdg \| .* \| \+1\.0% \(3\.0e-7\) \|/);
    expect(markdown).toMatch(/\| imecd \| [^\n]* \| {2}\|\n/);
  });

  it('keeps the change alone for a report without the tests (older files, or runs without per-user ranks)', () => {
    for (const older of [
      { ...report, ablationTests: null },
      { ...report, ablationTests: undefined },
    ]) {
      const markdown = renderReplicationMarkdown(older, { proposed: 'imecd' });
      expect(markdown).toContain('| test ndcg@10 vs imecd |');
      expect(markdown).not.toContain('paired t-test p) |');
      expect(markdown).toMatch(/\| imecd-no-vq \| .* \| -20\.0% \|\n/);
    }
  });
});
