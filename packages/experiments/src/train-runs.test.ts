import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '@imecd/data-amazon';
import { TRAINER_SETTINGS } from '@imecd/recommender';
import { beforeAll, describe, expect, it } from 'vitest';
import { datasetFingerprint } from './dataset-fingerprint';
import { createDefaultRegistry } from './default-registry';
import { RunMismatchError, SettingsError } from './errors';
import { evaluateRun } from './evaluate-run';
import type { RunConfig } from './run-config';
import { workersProblem } from './setting-assignments';
import { useCpuBackend, writeSyntheticDataset } from './synthetic.test-helper';
import type { TrainRunsEvent } from './train-events';
import { type NewRun, trainRuns } from './train-runs';
import { openRun } from './trained-run';

beforeAll(useCpuBackend);

const registry = createDefaultRegistry();
const small = { hiddenSize: 16, innerSize: 32, maxLength: 10, dropout: 0, attentionDropout: 0 };

async function setUp() {
  const datasetDir = writeSyntheticDataset();
  const dataset = await loadDataset(datasetDir, { name: 'synthetic' });
  const run: NewRun = {
    kind: 'new',
    model: 'sasrec',
    datasetName: 'synthetic',
    datasetDir,
    seeds: [3],
    settings: {
      train: { ...TRAINER_SETTINGS.defaults, epochs: 2, batchSize: 16, learningRate: 0.01 },
      hyperparameters: registry.recordedHyperparameters('sasrec', small),
      presetNote: 'test',
    },
    outDir: mkdtempSync(join(tmpdir(), 'imecd-runs-')),
  };
  return { dataset, run };
}

describe('trainRuns (synthetic data, cpu)', () => {
  it('trains into a run folder, reuses it, resumes a killed seed to the same metrics, and evaluates it again', async () => {
    const { dataset, run } = await setUp();
    const events: TrainRunsEvent[] = [];
    const first = await trainRuns(
      { registry, backend: 'cpu', dataset, run: { ...run, command: 'train it' } },
      { onEvent: (event) => events.push(event) },
    );
    expect(events.map((event) => event.type).filter((type) => type !== 'training')).toEqual([
      'run-ready',
      'seed-finished',
    ]);
    const epochEnds = events.filter((event) => event.type === 'training' && event.event.type === 'epoch-end');
    expect(epochEnds).toHaveLength(2);
    for (const file of [
      'config.json',
      'command.txt',
      'metrics.json',
      'seed-3/checkpoint.bin',
      'seed-3/test-ranks.json',
    ])
      expect(existsSync(join(first.runDir, file)), file).toBe(true);
    expect(first.summary).toMatchObject({ model: 'sasrec', seeds: [3], epochs: [2], runDir: first.runDir });

    const reusedEvents: TrainRunsEvent[] = [];
    const reused = await trainRuns(
      { registry, backend: 'cpu', dataset, run: { ...run, reuse: true } },
      { onEvent: (event) => reusedEvents.push(event) },
    );
    expect(reused.runDir).toBe(first.runDir);
    expect(reusedEvents.map((event) => event.type)).toEqual(['run-reused', 'run-ready', 'seed-reused']);
    expect(reused.summary?.test).toEqual(first.summary?.test);

    rmSync(join(first.runDir, 'seed-3', 'metrics.json')); // as if killed after its last checkpoint
    const { config } = await openRun(first.runDir);
    const resumedEvents: TrainRunsEvent[] = [];
    const resumed = await trainRuns(
      { registry, backend: 'cpu', dataset, run: { kind: 'resume', runDir: first.runDir, config } },
      { onEvent: (event) => resumedEvents.push(event) },
    );
    expect(resumedEvents).toContainEqual({ type: 'seed-resumed', seed: 3, epochsDone: 2 });
    expect(resumed.summary?.test).toEqual(first.summary?.test);

    const evaluated = await evaluateRun({ registry, runDir: first.runDir, config, dataset, backend: 'cpu' });
    expect(evaluated.finished).toBe(true);
    expect(evaluated.test['ndcg@10']).toBeCloseTo(first.summary!.test['ndcg@10'] as number, 5);
  }, 60_000);

  it('reuses a run from a copy of its dataset in another folder, as a committed run is found in any checkout', async () => {
    const { dataset, run } = await setUp();
    const first = await trainRuns({ registry, backend: 'cpu', dataset, run });
    expect(first.config.data).toBe(datasetFingerprint(dataset));
    const copyDir = mkdtempSync(join(tmpdir(), 'imecd-dataset-copy-'));
    cpSync(run.datasetDir, copyDir, { recursive: true });
    const copy = await loadDataset(copyDir, { name: 'synthetic' });
    const events: TrainRunsEvent[] = [];
    const reused = await trainRuns(
      { registry, backend: 'cpu', dataset: copy, run: { ...run, datasetDir: copyDir, reuse: true } },
      { onEvent: (event) => events.push(event) },
    );
    expect(reused.runDir).toBe(first.runDir);
    expect(events.map((event) => event.type)).toEqual(['run-reused', 'run-ready', 'seed-reused']);

    // Other interactions under the same folder name are another experiment: a new run.
    const fewer = { ...copy, sequences: copy.sequences.slice(1), numUsers: copy.numUsers - 1 };
    const other = await trainRuns({ registry, backend: 'cpu', dataset: fewer, run: { ...run, reuse: true } });
    expect(other.runDir).not.toBe(first.runDir);
  }, 60_000);

  it('refuses to resume a run whose interactions changed since it started', async () => {
    const { dataset, run } = await setUp();
    const config = resumedImecdConfig(run.datasetDir, { data: 'sha256:00' });
    const resume = { kind: 'resume' as const, runDir: run.outDir, config };
    await expect(trainRuns({ registry, backend: 'cpu', dataset, run: resume })).rejects.toThrow(
      new RunMismatchError(
        `${run.outDir}: the interactions in ${run.datasetDir} changed since this run started; start a new run instead of resuming this one`,
      ),
    );
  });

  it('refuses workers for a model whose loss cannot be split before any run folder is made', async () => {
    const { dataset, run } = await setUp();
    const imecd: NewRun = { ...run, model: 'imecd', settings: { ...run.settings, hyperparameters: {} }, workers: 2 };
    await expect(trainRuns({ registry, backend: 'cpu', dataset, run: imecd })).rejects.toThrow(SettingsError);
    expect(readdirSync(run.outDir)).toEqual([]);
  });

  it('trains one seed of a run with onlySeed, refuses one outside its seeds, and evaluates the seeds asked for', async () => {
    const { dataset, run } = await setUp();
    const twoSeeds: NewRun = { ...run, seeds: [3, 4], reuse: true };
    await expect(trainRuns({ registry, backend: 'cpu', dataset, run: twoSeeds, onlySeed: 5 })).rejects.toThrow(
      "Invalid onlySeed: 5 is not one of the run's seeds (3, 4)",
    );
    expect(readdirSync(run.outDir)).toEqual([]); // refused before any folder was made
    const one = await trainRuns({ registry, backend: 'cpu', dataset, run: twoSeeds, onlySeed: 4 });
    expect(one.summary).toBeUndefined();
    expect(existsSync(join(one.runDir, 'seed-4', 'metrics.json'))).toBe(true);
    expect(existsSync(join(one.runDir, 'seed-3'))).toBe(false);

    const { config } = await openRun(one.runDir);
    const evaluated = await evaluateRun({ registry, runDir: one.runDir, config, dataset, backend: 'cpu', seeds: [4] });
    expect(evaluated.seeds.map((entry) => entry.seed)).toEqual([4]);
    expect(evaluated.test['ndcg@10']).toBeCloseTo(one.perSeed[0]!.test['ndcg@10']!, 5); // one seed: plain numbers
    await expect(
      evaluateRun({ registry, runDir: one.runDir, config, dataset, backend: 'cpu', seeds: [4, 7] }),
    ).rejects.toThrow(`Invalid seeds: ${one.runDir} has seeds 3, 4; not 7`);
    await expect(
      evaluateRun({ registry, runDir: one.runDir, config, dataset, backend: 'cpu', seeds: [3] }),
    ).rejects.toThrow(RunMismatchError); // seed 3 has no checkpoint
  }, 60_000);

  it('refuses to resume a run whose features changed since it started', async () => {
    const { dataset, run } = await setUp();
    const config = resumedImecdConfig(run.datasetDir, { features: { text: 'sha256:00' } });
    const resume = { kind: 'resume' as const, runDir: run.outDir, config };
    await expect(trainRuns({ registry, backend: 'cpu', dataset, run: resume })).rejects.toThrow(
      new RunMismatchError(
        `${run.outDir}: the text features in ${run.datasetDir} changed since this run started; start a new run instead of resuming this one`,
      ),
    );
  });

  it('refuses to resume with workers a run whose loss cannot be split, as a new run would be refused', async () => {
    const { dataset, run } = await setUp();
    const config = resumedImecdConfig(run.datasetDir, { workers: 2 });
    const resume = { kind: 'resume' as const, runDir: run.outDir, config };
    await expect(trainRuns({ registry, backend: 'cpu', dataset, run: resume })).rejects.toThrow(
      new RunMismatchError(`${run.outDir}: ${workersProblem(registry, 'imecd', 2)}`),
    );
    expect(workersProblem(registry, 'imecd', 2)).toMatch(
      /only sasrec's, sasrec-bce's and mm-fusion's losses allow \(imecd has/,
    );
    expect(workersProblem(registry, 'sasrec', 2)).toBeUndefined();
    expect(workersProblem(registry, 'imecd', 1)).toBeUndefined();
  });
});

/** The config.json of an imecd run on the synthetic dataset, as a resumed run reads it, with `extra` fields. */
function resumedImecdConfig(datasetDir: string, extra: Partial<RunConfig>): RunConfig {
  return {
    train: TRAINER_SETTINGS.defaults,
    hyperparameters: {},
    presetNote: 'test',
    model: 'imecd',
    dataset: 'synthetic',
    datasetDir,
    seeds: [1],
    backend: 'cpu',
    protocol: {
      split: 'leave-one-out',
      ranking: 'full',
      candidates: 40,
      maxHistory: 10,
      maskHistory: false,
      ties: 'expected',
      selection: 'valid ndcg@10',
    },
    ...extra,
  };
}
