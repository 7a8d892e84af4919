import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from './cli-io.test-helper';
import { setFlags, TINY_MODEL, writeSyntheticDataset } from './synthetic-dataset.test-helper';

describe('a run of a shipped dataset opened from another checkout (synthetic data)', () => {
  it("reads this checkout's copy of the dataset when the recorded folder is gone, and refuses other interactions", async () => {
    // A checkout whose datasets/instruments is the synthetic dataset; the run records that absolute folder.
    const firstCheckout = mkdtempSync(join(tmpdir(), 'imecd-checkout-'));
    mkdirSync(join(firstCheckout, 'datasets'));
    cpSync(writeSyntheticDataset(), join(firstCheckout, 'datasets', 'instruments'), { recursive: true });
    const outDir = mkdtempSync(join(tmpdir(), 'imecd-runs-'));
    const trained = await runCaptured(
      ['train', '--model', 'sasrec', '--dataset', 'instruments', '--epochs', '1', '--backend', 'cpu', '--json']
        .concat(setFlags(TINY_MODEL))
        .concat(['--out-dir', outDir]),
      { env: { IMECD_DATASETS_DIR: join(firstCheckout, 'datasets') } },
    );
    expect(trained.code, trained.stderr).toBe(0);
    const run = join(outDir, readdirSync(outDir)[0]!);

    // The same files in another checkout; the first one is gone.
    const secondCheckout = `${firstCheckout}-moved`;
    renameSync(firstCheckout, secondCheckout);
    const evaluate = () =>
      runCaptured(['evaluate', '--run', run, '--backend', 'cpu', '--json'], {
        env: { IMECD_DATASETS_DIR: join(secondCheckout, 'datasets') },
      });
    const evaluated = await evaluate();
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(JSON.parse(evaluated.stdout).test['ndcg@10']).toBeCloseTo(JSON.parse(trained.stdout).test['ndcg@10'], 6);

    const interactions = join(secondCheckout, 'datasets', 'instruments', 'sequential.txt');
    const lines = readFileSync(interactions, 'utf8').trimEnd().split('\n');
    writeFileSync(interactions, `${lines.slice(1).join('\n')}\n`);
    const refused = await evaluate();
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `${join(firstCheckout, 'datasets', 'instruments')} (where the run's instruments was loaded from) is not here, and ${join(secondCheckout, 'datasets', 'instruments')} holds other interactions than the run trained on`,
    );
  }, 60_000);
});
