import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../cli-io.test-helper';
import { SMALL_SASREC, setFlags, writeSyntheticDataset } from '../synthetic-dataset.test-helper';

// Dropout off, so one thread and two take the same steps: only float rounding may differ.
const small = setFlags({ ...SMALL_SASREC, dropout: 0, attentionDropout: 0 });

describe('reproduce train --workers (a real worker thread, synthetic data)', () => {
  const dataDir = writeSyntheticDataset();

  it('trains sasrec across two threads to what one thread reaches, and records the worker count', async () => {
    const train = async (workers: string) => {
      const outDir = mkdtempSync(join(tmpdir(), 'imecd-runs-'));
      const { code, stdout, stderr } = await runCaptured([
        'train',
        '--model',
        'sasrec',
        '--data-dir',
        dataDir,
        '--epochs',
        '2',
        '--out-dir',
        outDir,
        '--json',
        '--backend',
        'cpu',
        '--workers',
        workers,
        ...small,
      ]);
      expect(code, stderr).toBe(0);
      const [runName] = readdirSync(outDir);
      return {
        summary: JSON.parse(stdout),
        config: JSON.parse(readFileSync(join(outDir, runName!, 'config.json'), 'utf8')),
      };
    };
    const [one, two] = [await train('1'), await train('2')];
    expect(one.config.workers).toBeUndefined();
    expect(two.config.workers).toBe(2);
    for (const key of ['hr@10', 'ndcg@10']) expect(two.summary.test[key]).toBeCloseTo(one.summary.test[key], 3);
  }, 120_000);

  it('refuses --workers for a model with in-batch terms, with a clear message', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'imecd-runs-'));
    const { code, stderr } = await runCaptured([
      'train',
      '--model',
      'imecd',
      '--data-dir',
      dataDir,
      '--epochs',
      '1',
      '--out-dir',
      outDir,
      '--backend',
      'cpu',
      '--workers',
      '2',
      '--set',
      'hiddenSize=16',
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /--workers splits batches across threads, which only sasrec's, sasrec-bce's and mm-fusion's losses allow/,
    );
    expect(readdirSync(outDir)).toEqual([]); // refused before any run folder was made
  }, 60_000);
});
