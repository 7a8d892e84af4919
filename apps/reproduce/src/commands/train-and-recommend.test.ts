import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../cli-io.test-helper';
import { SMALL_SASREC, setFlags, writeSyntheticDataset } from '../synthetic-dataset.test-helper';

const small = setFlags(SMALL_SASREC);

describe('reproduce train and recommend (synthetic data)', () => {
  const dataDir = writeSyntheticDataset();
  const outDir = mkdtempSync(join(tmpdir(), 'imecd-runs-'));

  it('prints one JSON object with the documented fields, mean ± std over seeds', async () => {
    const { code, stdout, stderr } = await runCaptured([
      'train',
      '--model',
      'sasrec',
      '--data-dir',
      dataDir,
      '--epochs',
      '3',
      '--seeds',
      '1,2',
      '--out-dir',
      outDir,
      '--json',
      '--backend',
      'cpu',
      ...small,
    ]);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ model: 'sasrec', backend: 'cpu', seeds: [1, 2], epochs: [3, 3] });
    expect(result.protocol).toMatchObject({ split: 'leave-one-out', ranking: 'full', candidates: 40, maxHistory: 10 });
    for (const key of ['hr@5', 'hr@10', 'hr@20', 'ndcg@5', 'ndcg@10', 'ndcg@20', 'mrr@20']) {
      expect(result.test[key]).toEqual({ mean: expect.any(Number), std: expect.any(Number), n: 2 });
      expect(result.valid[key].mean).toBeGreaterThanOrEqual(0);
    }
    expect(result.secondsPerEpoch).toBeGreaterThan(0);
  }, 120_000);

  it('recommends from the trained run by item key, and rejects unknown items', async () => {
    const [runName] = readdirSync(outDir);
    const run = join(outDir, runName!);
    const { code, stdout, stderr } = await runCaptured([
      'recommend',
      '--run',
      run,
      '--history',
      '1,6,11',
      '--k',
      '5',
      '--json',
      '--backend',
      'cpu',
    ]);
    expect(code, stderr).toBe(0);
    const { history, recommendations } = JSON.parse(stdout);
    expect(history.map((entry: { key: string }) => entry.key)).toEqual(['1', '6', '11']); // the echo of what was read
    expect(recommendations).toHaveLength(5);
    expect(recommendations.map((row: { rank: number }) => row.rank)).toEqual([1, 2, 3, 4, 5]);
    const scores = recommendations.map((row: { score: number }) => row.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const unknown = await runCaptured(['recommend', '--run', run, '--history', '1,nope', '--backend', 'cpu']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /--history: "nope" is not an item key \(ASIN\) of .*; items can be given by id 1\.\.40 instead \(--ids\)/,
    );
  }, 60_000);

  it('echoes the history it read, takes item ids with --ids and says what ids are when one is out of range', async () => {
    const [runName] = readdirSync(outDir);
    const run = join(outDir, runName!);
    const byKey = await runCaptured(['recommend', '--run', run, '--history', '1,6,11', '--k', '3', '--backend', 'cpu']);
    expect(byKey.code, byKey.stderr).toBe(0);
    expect(byKey.stderr).toBe('backend cpu\n'); // which backend runs, once, and nothing else
    expect(byKey.stdout).toMatch(
      /^history \(oldest first\):\n {5}id \d+ {2}1\n {5}id \d+ {2}6\n {5}id \d+ {2}11\nsasrec on /,
    );
    const { history } = JSON.parse(
      (await runCaptured(['recommend', '--run', run, '--history', '1,6,11', '--json', '--backend', 'cpu'])).stdout,
    );
    const byId = await runCaptured([
      'recommend',
      '--run',
      run,
      '--history',
      history.map((entry: { item: number }) => entry.item).join(','),
      '--ids',
      '--k',
      '3',
      '--backend',
      'cpu',
    ]);
    expect(byId.stdout).toBe(byKey.stdout);
    const zero = await runCaptured(['recommend', '--run', run, '--history', '0,1', '--ids', '--backend', 'cpu']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(
      /--history: "0" is not an item id; ids run 1\.\.40 \(for a 0-based <Name>\.item2index index i, give i \+ 1\)/,
    );
  }, 60_000);

  it('exports a seed as a model directory whose recommendations are the run’s, and refuses to write over one', async () => {
    const [runName] = readdirSync(outDir);
    const run = join(outDir, runName!);
    const out = join(mkdtempSync(join(tmpdir(), 'imecd-export-')), 'model');
    const exported = await runCaptured(['export', '--run', join(run, 'seed-2'), '--out', out, '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    const { card, files } = JSON.parse(exported.stdout);
    expect(card).toMatchObject({ model: 'sasrec', seed: 2, run: runName });
    expect(files.map((file: { name: string }) => file.name).sort()).toEqual(readdirSync(out).sort());
    const fromRun = await runCaptured([
      'recommend',
      '--run',
      join(run, 'seed-2'),
      '--history',
      '1,6,11',
      '--json',
      '--backend',
      'cpu',
    ]);
    const { loadModelDirectory } = await import('@imecd/experiments');
    const loaded = await loadModelDirectory({ path: out }); // after the command disposed its copy: tfjs variable names are global
    const history = JSON.parse(fromRun.stdout).history.map((entry: { item: number }) => entry.item);
    const { recommend } = await import('@imecd/recommender');
    expect(recommend(loaded.model, history, { k: 10 }).map((entry) => entry.item)).toEqual(
      JSON.parse(fromRun.stdout).recommendations.map((row: { item: number }) => row.item),
    );
    loaded.dispose();
    const again = await runCaptured(['export', '--run', run, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists and is not empty; choose another folder or overwrite it/);
  }, 60_000);

  it('evaluates the best checkpoints of the run to the metrics train reported', async () => {
    const [runName] = readdirSync(outDir);
    const run = join(outDir, runName!);
    const trained = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
    const { code, stdout, stderr } = await runCaptured(['evaluate', '--run', run, '--json', '--backend', 'cpu']);
    expect(code, stderr).toBe(0);
    const evaluated = JSON.parse(stdout);
    expect(evaluated.finished).toBe(true);
    for (const key of ['hr@10', 'ndcg@10', 'mrr@20']) {
      expect(evaluated.test[key].mean).toBeCloseTo(trained.test[key].mean, 5);
      expect(evaluated.valid[key].mean).toBeCloseTo(trained.valid[key].mean, 5);
    }
  }, 60_000);

  it('evaluates a Pop run by fitting it again (Pop keeps no checkpoint)', async () => {
    const popOut = mkdtempSync(join(tmpdir(), 'imecd-runs-'));
    const trained = await runCaptured([
      'train',
      '--model',
      'pop',
      '--data-dir',
      dataDir,
      '--out-dir',
      popOut,
      '--json',
      '--backend',
      'cpu',
    ]);
    expect(trained.code, trained.stderr).toBe(0);
    const [runName] = readdirSync(popOut);
    const { code, stdout, stderr } = await runCaptured([
      'evaluate',
      '--run',
      join(popOut, runName!),
      '--json',
      '--backend',
      'cpu',
    ]);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).test['ndcg@10']).toBeCloseTo(JSON.parse(trained.stdout).test['ndcg@10'], 6);
  });

  it('rejects unknown --set keys and models with exit code 2', async () => {
    const badKey = await runCaptured([
      'train',
      '--model',
      'sasrec',
      '--data-dir',
      dataDir,
      '--set',
      'hiddenSiz=8',
      '--backend',
      'cpu',
      '--out-dir',
      outDir,
    ]);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/unknown setting "hiddenSiz".*hiddenSize/);
    const badModel = await runCaptured(['train', '--model', 'bert4rec', '--data-dir', dataDir, '--backend', 'cpu']);
    expect(badModel.code).toBe(2);
  });
});
