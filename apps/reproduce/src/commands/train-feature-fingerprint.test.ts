import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../cli-io.test-helper';
import { setFlags, TINY_MODEL, writeSyntheticDataset } from '../synthetic-dataset.test-helper';

/** The SYNTHETIC sequential.txt dataset with made-up titles, encoded to text features of width `dim`. */
async function datasetWithTextFeatures(dim: number): Promise<string> {
  const dir = writeSyntheticDataset(40, 30, 8);
  const rows = Array.from(
    { length: 30 },
    (_, index) =>
      `${index + 1}\tSYN${index + 1}\tsynthetic ${index % 3 === 0 ? 'racing car' : 'puzzle box'} ${index + 1}`,
  );
  writeFileSync(join(dir, 'items.tsv'), `item_id\tasin\ttitle\n${rows.join('\n')}\n`);
  const encoded = await runCaptured(['features', '--data-dir', dir, '--dim', String(dim)]);
  expect(encoded.code, encoded.stderr).toBe(0);
  return dir;
}

const tiny = ['--model', 'imecd', '--epochs', '1', '--backend', 'cpu', ...setFlags(TINY_MODEL)];

/** `pnpm reproduce train` on the dataset in `dir`, into `outDir`, with `flags`. */
const train = (dir: string, outDir: string, ...flags: string[]) =>
  runCaptured(['train', ...flags, '--data-dir', dir, '--out-dir', outDir]);

/** The config.json of the one run folder in `outDir`. */
function onlyRunConfig(outDir: string) {
  const [runName] = readdirSync(outDir);
  return JSON.parse(readFileSync(join(outDir, runName!, 'config.json'), 'utf8'));
}

describe('runs record the features they trained on (synthetic data)', () => {
  it('writes a fingerprint per modality, reuses only a run with the same features, and refuses to resume on changed ones', async () => {
    const dir = await datasetWithTextFeatures(8);
    const outDir = mkdtempSync(join(tmpdir(), 'imecd-runs-'));
    const first = await train(dir, outDir, ...tiny, '--reuse');
    expect(first.code, first.stderr).toBe(0);
    const [runName] = readdirSync(outDir);
    const config = onlyRunConfig(outDir);
    expect(Object.keys(config.features)).toEqual(['text']);
    expect(config.features.text).toMatch(/^sha256:[0-9a-f]{64}$/);

    const same = await train(dir, outDir, ...tiny, '--reuse');
    expect(same.stderr).toMatch(/reusing /);

    // Other features in the same folder: a new run, not the old one; and the old one cannot be resumed.
    const reencoded = await runCaptured(['features', '--data-dir', dir, '--dim', '4']);
    expect(reencoded.code, reencoded.stderr).toBe(0);
    rmSync(join(outDir, runName!, 'seed-1', 'metrics.json')); // as if it had been killed
    const resumed = await runCaptured(['train', '--resume', join(outDir, runName!), '--backend', 'cpu']);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toMatch(/the text features in .* changed since this run started/);
    const other = await train(dir, outDir, ...tiny, '--reuse');
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).not.toMatch(/reusing /);
    expect(readdirSync(outDir)).toHaveLength(2);
  }, 120_000);

  it('records the inputs --set chooses, fingerprints only those, and names an input the dataset lacks', async () => {
    const dir = await datasetWithTextFeatures(4);
    const outDir = mkdtempSync(join(tmpdir(), 'imecd-runs-'));
    const run = await train(dir, outDir, ...tiny, '--set', 'textInput=none');
    expect(run.code, run.stderr).toBe(0);
    const config = onlyRunConfig(outDir);
    expect(config.inputs).toEqual({ textInput: 'none', imageInput: 'auto' });
    expect(config.features).toEqual({});

    const missing = await train(dir, outDir, ...tiny, '--set', 'textInput=codes');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/textInput=codes: the dataset has no text codes \(it has text features\)/);
    expect(readdirSync(outDir)).toHaveLength(1);
  }, 60_000);

  it('lets tune search the inputs on validation like any other setting', async () => {
    const dir = await datasetWithTextFeatures(4);
    const cwd = mkdtempSync(join(tmpdir(), 'imecd-tune-'));
    const model = ['--model', 'imecd', '--epochs', '1', ...setFlags(TINY_MODEL)];
    const argv = ['tune', ...model, '--data-dir', dir, '--dataset', 'synthetic', '--out-dir', join(cwd, 'runs')];
    const env = { IMECD_BACKEND: 'cpu' };
    const tuned = await runCaptured([...argv, '--grid', 'textInput=features,none', '--json'], { cwd, env });
    expect(tuned.code, tuned.stderr).toBe(0);
    const report = JSON.parse(tuned.stdout);
    expect(report.ranked.map((entry: { settings: { textInput: string } }) => entry.settings.textInput).sort()).toEqual([
      'features',
      'none',
    ]);
    const configs = readdirSync(join(cwd, 'runs')).map((name) =>
      JSON.parse(readFileSync(join(cwd, 'runs', name, 'config.json'), 'utf8')),
    );
    expect(configs.map((config) => Object.keys(config.features).join()).sort()).toEqual(['', 'text']);
  }, 60_000);

  it('leaves the config of a model that reads no features as it was', async () => {
    const dir = await datasetWithTextFeatures(4);
    const outDir = mkdtempSync(join(tmpdir(), 'imecd-runs-'));
    const run = await train(dir, outDir, '--model', 'pop', '--backend', 'cpu');
    expect(run.code, run.stderr).toBe(0);
    const config = onlyRunConfig(outDir);
    expect(config.features).toBeUndefined();
    expect(config.inputs).toBeUndefined();
  }, 60_000);
});
