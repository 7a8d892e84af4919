import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCaptured } from '../cli-io.test-helper';

// SYNTHETIC run folders in the layout `train` writes; only what status reads.
let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'imecd-status-'));
  const run = join(root, 'runs', '20260101T000000Z-imecd-toys');
  await mkdir(join(run, 'seed-1'), { recursive: true });
  await mkdir(join(run, 'seed-2'), { recursive: true });
  const config = { model: 'imecd', dataset: 'toys', seeds: [1, 2, 3], train: { patience: 10, epochs: 200 } };
  await writeFile(join(run, 'config.json'), JSON.stringify({ ...config, protocol: { selection: 'valid ndcg@10' } }));
  const line = (epoch: number, ndcg: number) => JSON.stringify({ epoch, valid: { 'ndcg@10': ndcg }, seconds: 120 });
  await writeFile(join(run, 'seed-1', 'history.ndjson'), `${[line(1, 0.05), line(2, 0.07)].join('\n')}\n`);
  await writeFile(
    join(run, 'seed-1', 'metrics.json'),
    JSON.stringify({ seed: 1, valid: { 'ndcg@10': 0.07 }, test: { 'ndcg@10': 0.0612 }, bestEpoch: 2, epochsRun: 2 }),
  );
  await writeFile(
    join(run, 'seed-2', 'history.ndjson'),
    `${[line(1, 0.06), line(2, 0.05), line(3, 0.05)].join('\n')}\n`,
  );
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('reproduce status', () => {
  it('prints each seed of each run from validation alone', async () => {
    const { code, stdout } = await runCaptured(['status'], { cwd: root });
    expect(code).toBe(0);
    expect(stdout).toMatch(/imecd on toys, selected on valid ndcg@10 \(patience 10, at most 200 epochs\)/);
    expect(stdout).toMatch(/seed 1 {2}finished {4}2 epochs, best 2 \(valid ndcg@10 0\.0700\)/);
    expect(stdout).toMatch(
      /seed 2 {2}partial {5}3 epochs, best 1 \(valid ndcg@10 0\.0600\); 2 since; at most 8 more \(≤ 16m00s\); 2m00s an epoch lately/,
    );
    expect(stdout).toMatch(/seed 3 {2}not started\n/);
    // Seed 2: its 8 epochs of patience left (more than the finished seed's 2-epoch run less its 3); seed 3 the
    // finished seed's 2: 10 epochs at seed 2's 120 s.
    expect(stdout).toMatch(
      /left: ~8 epochs for 1 partial seed\(s\), ~2 for each of 1 seed\(s\) not started \(the finished seeds' median run\): ~20m00s at 2m00s an epoch/,
    );
    expect(stdout).not.toContain('0.0612');
    expect(stdout).toMatch(/validation only/);
  });

  it("counts an early partial seed at the finished seeds' median run, not only its patience", async () => {
    const run = join(root, 'runs', '20260102T000000Z-sasrec-toys');
    await mkdir(join(run, 'seed-1'), { recursive: true });
    await mkdir(join(run, 'seed-2'), { recursive: true });
    const config = { model: 'sasrec', dataset: 'toys', seeds: [1, 2], train: { patience: 10, epochs: 200 } };
    await writeFile(join(run, 'config.json'), JSON.stringify(config));
    await writeFile(join(run, 'seed-1', 'metrics.json'), JSON.stringify({ valid: {}, bestEpoch: 20, epochsRun: 30 }));
    await writeFile(
      join(run, 'seed-2', 'history.ndjson'),
      `${JSON.stringify({ epoch: 1, valid: { 'ndcg@10': 0.01 }, seconds: 60 })}\n`,
    );
    const { stdout } = await runCaptured(['status', '--model', 'sasrec'], { cwd: root });
    // 30 − 1 = 29 epochs (more than the 10 of patience) at 60 s.
    expect(stdout).toMatch(
      /left: ~29 epochs for 1 partial seed\(s\) \(the finished seeds' median run\): ~29m00s at 1m00s an epoch/,
    );
  });

  it('prints JSON with --json, filters by model and dataset, and says when nothing matches', async () => {
    const json = JSON.parse((await runCaptured(['status', '--json', '--model', 'imecd'], { cwd: root })).stdout);
    expect(json.runs).toHaveLength(1);
    expect(json.runs[0].seeds.map((seed: { state: string }) => seed.state)).toEqual([
      'finished',
      'partial',
      'not started',
    ]);
    const none = await runCaptured(['status', '--dataset', 'games'], { cwd: root });
    expect(none.stdout).toMatch(/no run folders that match in .*runs/);
    const elsewhere = await runCaptured(['status', '--out-dir', 'elsewhere'], { cwd: root });
    expect(elsewhere.stdout).toMatch(/no run folders in .*elsewhere/);
  });

  it('fails with the file and line of a broken history (exit 1) and on unknown flags (exit 2)', async () => {
    await writeFile(join(root, 'runs', '20260101T000000Z-imecd-toys', 'seed-2', 'history.ndjson'), '{"epoch": 1}\n');
    const { code, stderr } = await runCaptured(['status'], { cwd: root });
    expect(code).toBe(1);
    expect(stderr).toMatch(/seed-2[/\\]history\.ndjson:1: expected/);
    expect((await runCaptured(['status', '--bogus'], { cwd: root })).code).toBe(2);
  });
});
