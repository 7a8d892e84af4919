import { TRAINER_SETTINGS } from '@imecd/recommender';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './default-registry';
import { changedSettings } from './replicate';
import { type ReplicationReport, renderReplicationMarkdown } from './replication-report';
import type { TrainSummary } from './run-config';

const registry = createDefaultRegistry();

/** A run summary with the given settings; the metrics do not matter here. */
function summary(model: string, hyperparameters: Record<string, number | string | boolean>, train = {}): TrainSummary {
  return {
    model,
    dataset: 'synthetic',
    backend: 'cpu',
    protocol: {
      split: 'leave-one-out',
      ranking: 'full',
      candidates: 40,
      maxHistory: 50,
      maskHistory: false,
      ties: 'expected',
      selection: 'valid ndcg@10',
    },
    seeds: [1],
    valid: { 'ndcg@10': 0.1 },
    test: { 'ndcg@10': 0.1 },
    epochs: [3],
    bestEpochs: [2],
    secondsPerEpoch: 1,
    hours: 0.5,
    hyperparameters: { ...registry.defaults(model), ...hyperparameters },
    train: { ...TRAINER_SETTINGS.defaults, ...train },
    runDir: '/tmp/run',
  };
}

describe('changedSettings', () => {
  it('lists the hyperparameters and trainer settings that differ from the defaults, and nothing else', () => {
    expect(changedSettings(registry, summary('sasrec', {}))).toEqual({});
    expect(changedSettings(registry, summary('imecd', { hiddenSize: 32 }, { maxStepPositions: 4096 }))).toEqual({
      hiddenSize: 32,
      maxStepPositions: 4096,
    });
  });

  it('leaves out trainer settings where no seed ran an epoch (Pop counts, it does not train)', () => {
    const pop = { ...summary('pop', {}, { epochs: 3 }), epochs: [0, 0] };
    expect(changedSettings(registry, pop)).toEqual({});
    expect(changedSettings(registry, summary('sasrec', {}, { epochs: 3 }))).toEqual({ epochs: 3 });
  });

  it("lists a feature-reading run's inputs where they are not the defaults", () => {
    const games = { ...summary('imecd', {}), inputs: { textInput: 'features', imageInput: 'auto' } } as TrainSummary;
    expect(changedSettings(registry, games)).toEqual({ textInput: 'features' });
    const auto = { ...summary('imecd', {}), inputs: { textInput: 'auto', imageInput: 'auto' } } as TrainSummary;
    expect(changedSettings(registry, auto)).toEqual({});
  });

  it('leaves out settings the model never reads', () => {
    // imecd-no-contrastive has no contrastive term: its weight is not a setting that run differs in.
    expect(changedSettings(registry, summary('imecd-no-contrastive', { lambdaContrastive: 0.5 }))).toEqual({});
  });

  it('become a table beside the numbers, "defaults" where nothing differs', () => {
    const rows = [summary('sasrec', {}), summary('imecd', { hiddenSize: 32 }, { epochs: 3 })].map((row) => ({
      ...row,
      changedSettings: changedSettings(registry, row),
    }));
    const report: ReplicationReport = {
      dataset: 'synthetic',
      protocol: rows[0]!.protocol,
      backend: 'cpu',
      seeds: [1],
      quick: false,
      tables: { main: ['sasrec', 'imecd'], ablations: [] },
      rows,
      improvement: null,
    };
    const markdown = renderReplicationMarkdown(report, { proposed: 'imecd' });
    expect(markdown).toContain('| sasrec | defaults |');
    expect(markdown).toContain('| imecd | hiddenSize 32; epochs 3 |');
    expect(markdown).toContain(
      '| model | epochs run (per seed) | best epoch (per seed) | s/epoch | hours (all seeds) |',
    );
    expect(markdown).toContain('| sasrec | 3 | 2 | 1.0 | 0.5 |');
    const older = renderReplicationMarkdown(
      { ...report, rows: rows.map(({ hours: _absent, ...row }) => row) },
      { proposed: 'imecd' },
    );
    expect(older).toContain('| sasrec | 3 | 2 | 1.0 | – |');
  });
});
