import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '@imecd/data-amazon';
import { TRAINER_SETTINGS } from '@imecd/recommender';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './default-registry';
import { useCpuBackend, writeSyntheticDataset } from './synthetic.test-helper';
import { cartesian, type TuneEvent, tune } from './tune';

beforeAll(useCpuBackend);

describe('cartesian', () => {
  it('expands a grid into every combination, first key slowest', () => {
    expect(cartesian({ a: ['1', '2'], b: ['x', 'y'] })).toEqual([
      { a: '1', b: 'x' },
      { a: '1', b: 'y' },
      { a: '2', b: 'x' },
      { a: '2', b: 'y' },
    ]);
  });
});

describe('tune (synthetic data, cpu)', () => {
  it('trains each combination, ranks them on validation NDCG@10 and writes the report', async () => {
    const registry = createDefaultRegistry();
    const datasetDir = writeSyntheticDataset();
    const dataset = await loadDataset(datasetDir, { name: 'synthetic' });
    const reportDir = mkdtempSync(join(tmpdir(), 'imecd-tune-'));
    const events: TuneEvent[] = [];
    const { report, markdown, files } = await tune(
      {
        registry,
        backend: 'cpu',
        dataset,
        datasetName: 'synthetic',
        datasetDir,
        model: 'sasrec',
        grid: { dropout: ['0.1', '0.5'] },
        seeds: [1],
        outDir: join(reportDir, 'runs'),
        settingsFor: (combination) => ({
          train: { ...TRAINER_SETTINGS.defaults, epochs: 1, batchSize: 16 },
          hyperparameters: registry.recordedHyperparameters('sasrec', {
            hiddenSize: 8,
            innerSize: 16,
            maxLength: 6,
            dropout: Number(combination.dropout),
          }),
          presetNote: 'test',
        }),
        command: 'tune it',
        reportDir,
      },
      { onEvent: (event) => events.push(event) },
    );
    expect(events.filter((event) => event.type.startsWith('combination-')).map((event) => event.type)).toEqual([
      'combination-start',
      'combination-end',
      'combination-start',
      'combination-end',
    ]);
    expect(report.ranked.map((entry) => entry.settings.dropout).sort()).toEqual(['0.1', '0.5']);
    expect(report.ranked[0]!.valid['ndcg@10']).toBeGreaterThanOrEqual(report.ranked[1]!.valid['ndcg@10']);
    expect(report.best).toEqual(report.ranked[0]!.settings);
    expect(markdown).toMatch(/^## Tuning sasrec on synthetic \(validation only; seeds 1\)/);
    expect(markdown).toContain('Command: `tune it`');
    expect(files).toEqual([
      join(reportDir, 'synthetic-sasrec-dropout.md'),
      join(reportDir, 'synthetic-sasrec-dropout.json'),
    ]);
    expect(JSON.parse(readFileSync(files[1]!, 'utf8'))).toEqual(report);
  }, 60_000);
});
