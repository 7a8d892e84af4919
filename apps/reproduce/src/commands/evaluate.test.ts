import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../cli-io.test-helper';
import { setFlags, TINY_MODEL, writeSyntheticDataset } from '../synthetic-dataset.test-helper';

const tiny = ['--epochs', '2', '--backend', 'cpu', ...setFlags(TINY_MODEL)];

/** Trains `model` on the synthetic dataset and returns its run folder. */
async function trainedRun(model: string, ...set: string[]): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'imecd-runs-'));
  const trained = await runCaptured([
    'train',
    '--model',
    model,
    ...tiny,
    ...set,
    '--data-dir',
    writeSyntheticDataset(),
    '--out-dir',
    outDir,
  ]);
  expect(trained.code, trained.stderr).toBe(0);
  return join(outDir, readdirSync(outDir)[0]!);
}

describe('reproduce evaluate --set (synthetic data)', () => {
  it('scores a trained IMECD run (first reading) under another scoring setting, and says so', async () => {
    const run = await trainedRun('imecd', '--set', 'generator=separate', '--set', 'scoreFusion=sum');
    const evaluate = async (...set: string[]) => {
      const { code, stdout, stderr } = await runCaptured([
        'evaluate',
        '--run',
        run,
        '--json',
        '--backend',
        'cpu',
        ...set,
      ]);
      expect(code, stderr).toBe(0);
      return JSON.parse(stdout);
    };
    const plain = await evaluate();
    const sum = await evaluate('--set', 'scoreFusion=sum');
    const streams = await evaluate('--set', 'scoreFusion=streams', '--set', 'samplingSteps=4');
    expect(plain.overrides).toBeUndefined();
    expect(sum.overrides).toEqual({ scoreFusion: 'sum' });
    expect(streams.overrides).toEqual({ scoreFusion: 'streams', samplingSteps: 4 });
    expect(sum.test['ndcg@10']).toBeCloseTo(plain.test['ndcg@10'], 6); // one seed: plain numbers, not mean ± std
    // Another ranking: some metric moves (the generated vector's scores are left out).
    const keys = ['hr@5', 'ndcg@5', 'hr@10', 'ndcg@10', 'hr@20', 'ndcg@20', 'mrr@20'];
    expect(
      keys.some(
        (key) =>
          Math.abs(streams.valid[key] - plain.valid[key]) > 1e-9 ||
          Math.abs(streams.test[key] - plain.test[key]) > 1e-9,
      ),
    ).toBe(true);

    const oneStream = await runCaptured(['evaluate', '--run', run, '--backend', 'cpu', '--set', 'scoreStreams=id']);
    expect(oneStream.code).toBe(2);
    expect(oneStream.stderr).toMatch(/scoreStreams: one stream's part of the score is the generative reading's/);
    const text = await runCaptured(['evaluate', '--run', run, '--backend', 'cpu', '--set', 'scoreFusion=streams']);
    expect(text.stdout).toMatch(/^imecd \(scoreFusion=streams\) on /);
  }, 120_000);

  it('refuses settings that would change the weights, bad values, and models without scoring settings (exit 2)', async () => {
    const imecd = await trainedRun('imecd');
    const fusion = await runCaptured(['evaluate', '--run', imecd, '--backend', 'cpu', '--set', 'scoreFusion=streams']);
    expect(fusion.code).toBe(2);
    expect(fusion.stderr).toMatch(/scoreFusion.*needs generator 'separate'/);
    const weights = await runCaptured(['evaluate', '--run', imecd, '--backend', 'cpu', '--set', 'hiddenSize=4']);
    expect(weights.code).toBe(2);
    expect(weights.stderr).toMatch(
      /--set hiddenSize: evaluate can only change settings that do not touch the weights; imecd has scoreFusion, samplingSteps/,
    );
    // The synthetic dataset has no features: the ID stream is the only one to score with alone.
    const onlyId = await runCaptured([
      'evaluate',
      '--run',
      imecd,
      '--json',
      '--backend',
      'cpu',
      '--set',
      'scoreStreams=id',
    ]);
    expect(onlyId.code, onlyId.stderr).toBe(0);
    expect(JSON.parse(onlyId.stdout).overrides).toEqual({ scoreStreams: 'id' });
    const absent = await runCaptured(['evaluate', '--run', imecd, '--backend', 'cpu', '--set', 'scoreStreams=image']);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toMatch(
      /--set: Invalid scoreStreams: expected one of all, id \(this run's streams\), got "image"/,
    );
    const notNumber = await runCaptured([
      'evaluate',
      '--run',
      imecd,
      '--backend',
      'cpu',
      '--set',
      'samplingSteps=many',
    ]);
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toMatch(/--set samplingSteps: expected integer ≥ 1, got 'many'/);
    const otherSeed = await runCaptured(['evaluate', '--run', imecd, '--backend', 'cpu', '--seeds', '9']);
    expect(otherSeed.code).toBe(2);
    expect(otherSeed.stderr).toMatch(/--seeds: Invalid seeds: .* has seeds \d+; not 9/);
    const sasrec = await trainedRun('sasrec');
    const none = await runCaptured(['evaluate', '--run', sasrec, '--backend', 'cpu', '--set', 'scoreFusion=streams']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/sasrec has none/);
  }, 120_000);
});
