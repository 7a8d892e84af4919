import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listRunStatuses, readRunStatus } from './run-status';

// SYNTHETIC run folders: the layout trainRuns writes (config.json, seed-N/history.ndjson, seed-N/metrics.json).
let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'imecd-run-status-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const record = (epoch: number, ndcg: number, seconds = 10) =>
  JSON.stringify({ epoch, loss: 5, valid: { 'ndcg@10': ndcg, 'hr@10': 2 * ndcg }, seconds, trainSeconds: seconds - 1 });

async function makeRun(
  name: string,
  config: Record<string, unknown>,
  seeds: Record<number, { history?: string[]; metrics?: object }>,
) {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  for (const [seed, files] of Object.entries(seeds)) {
    await mkdir(join(dir, `seed-${seed}`), { recursive: true });
    if (files.history) await writeFile(join(dir, `seed-${seed}`, 'history.ndjson'), `${files.history.join('\n')}\n`);
    if (files.metrics) await writeFile(join(dir, `seed-${seed}`, 'metrics.json'), JSON.stringify(files.metrics));
  }
  return dir;
}

const config = (model: string, dataset: string) => ({
  model,
  dataset,
  seeds: [1, 2, 3],
  train: { patience: 3, epochs: 8 },
  protocol: { selection: 'valid ndcg@10' },
});

describe('readRunStatus', () => {
  it('tells finished, partial and not-started seeds apart, from validation alone', async () => {
    const dir = await makeRun('20260101T000000Z-imecd-toys', config('imecd', 'toys'), {
      1: {
        history: [record(1, 0.1), record(2, 0.3), record(3, 0.2), record(4, 0.2), record(5, 0.2)],
        metrics: { seed: 1, valid: { 'ndcg@10': 0.3 }, test: { 'ndcg@10': 0.9 }, bestEpoch: 2, epochsRun: 5 },
      },
      // Best at 3 (the first of two equal 0.5s), 2 epochs since, recent epochs 10, 20, 30, 40, 50 s.
      2: {
        history: [record(1, 0.1, 10), record(2, 0.4, 20), record(3, 0.5, 30), record(4, 0.5, 40), record(5, 0.4, 50)],
      },
    });
    const status = await readRunStatus(dir);
    expect(status).toMatchObject({
      model: 'imecd',
      dataset: 'toys',
      selectMetric: 'ndcg@10',
      patience: 3,
      maxEpochs: 8,
    });
    const [finished, partial, notStarted] = status.seeds;
    expect(finished).toMatchObject({
      state: 'finished',
      epochs: 5,
      bestEpoch: 2,
      bestValid: 0.3,
      epochsSinceBest: 3,
      epochsLeftAtMost: 0,
    });
    expect(JSON.stringify(status)).not.toContain('0.9'); // the test metric never leaves metrics.json
    expect(partial).toMatchObject({
      state: 'partial',
      epochs: 5,
      bestEpoch: 3,
      bestValid: 0.5,
      epochsSinceBest: 2,
      epochSeconds: 30,
      epochsLeftAtMost: 1, // patience 3 − 2 since
    });
    expect(partial?.lastWritten).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(notStarted).toEqual({
      seed: 3,
      state: 'not started',
      epochs: 0,
      bestEpoch: null,
      bestValid: null,
      epochsSinceBest: null,
      epochSeconds: null,
      epochsLeftAtMost: null,
      lastWritten: null,
    });
  });

  it('bounds the epochs left by the epoch limit when that comes first', async () => {
    const history = Array.from({ length: 7 }, (_, index) => record(index + 1, 0.1 * (index + 1)));
    const dir = await makeRun('run', config('sasrec', 'toys'), { 1: { history } });
    expect((await readRunStatus(dir)).seeds[0]).toMatchObject({ epochs: 7, epochsSinceBest: 0, epochsLeftAtMost: 1 });
  });

  it('reads a model without training (Pop: a result, no history)', async () => {
    const dir = await makeRun('pop', config('pop', 'toys'), {
      1: { metrics: { seed: 1, valid: { 'ndcg@10': 0.04 }, test: {}, bestEpoch: 0, epochsRun: 0 } },
    });
    expect((await readRunStatus(dir)).seeds[0]).toMatchObject({ state: 'finished', epochs: 0, bestValid: 0.04 });
  });

  it('names the file and line of a history line that is not a record', async () => {
    const dir = await makeRun('bad', config('sasrec', 'toys'), { 1: { history: [record(1, 0.1), '{"epoch": 0}'] } });
    await expect(readRunStatus(dir)).rejects.toThrow(/seed-1[/\\]history\.ndjson:2: expected \{"epoch"/);
    const broken = await makeRun('broken', config('sasrec', 'toys'), { 1: { history: ['{not json'] } });
    await expect(readRunStatus(broken)).rejects.toThrow(/history\.ndjson:1: is not JSON/);
  });

  it('names config.json when the folder is not a run', async () => {
    await expect(readRunStatus(root)).rejects.toThrow(/config\.json: cannot be read/);
  });
});

describe('listRunStatuses', () => {
  it('lists the run folders oldest first, filtered by model or dataset, and nothing for a missing root', async () => {
    await makeRun('20260102T000000Z-sasrec-toys', config('sasrec', 'toys'), {});
    await makeRun('20260101T000000Z-imecd-toys', config('imecd', 'toys'), {});
    await makeRun('20260103T000000Z-imecd-games', config('imecd', 'games'), {});
    await mkdir(join(root, 'not-a-run'));
    const all = await listRunStatuses(root);
    expect(all.map((run) => `${run.model}/${run.dataset}`)).toEqual(['imecd/toys', 'sasrec/toys', 'imecd/games']);
    expect((await listRunStatuses(root, { model: 'imecd' })).map((run) => run.dataset)).toEqual(['toys', 'games']);
    expect((await listRunStatuses(root, { dataset: 'toys', model: 'sasrec' })).length).toBe(1);
    expect(await listRunStatuses(join(root, 'missing'))).toEqual([]);
  });
});
