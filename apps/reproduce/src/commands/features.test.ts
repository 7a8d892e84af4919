import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../cli-io.test-helper';
import { writeSyntheticDataset } from '../synthetic-dataset.test-helper';

/** The SYNTHETIC sequential.txt dataset plus an items.tsv of made-up titles (item 7 has none). */
function datasetWithTitles(): string {
  const dir = writeSyntheticDataset(60, 40, 9);
  const rows = Array.from(
    { length: 40 },
    (_, index) =>
      `${index + 1}\tSYN${index + 1}\t${index === 6 ? '' : `synthetic ${index % 2 === 0 ? 'racing car' : 'puzzle box'} number ${index + 1}`}`,
  );
  writeFileSync(join(dir, 'items.tsv'), `item_id\tasin\ttitle\n${rows.join('\n')}\n`);
  return dir;
}

describe('reproduce features', () => {
  it('writes TF-IDF text features that info then loads; a rerun is up to date', async () => {
    const dir = datasetWithTitles();
    const run = await runCaptured(['features', '--data-dir', dir, '--dim', '16', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({
      items: 40,
      out: dir,
      text: { model: 'imecd/tfidf-projection', dim: 16, missing: 1, encodedNow: 40, bytes: 40 * 16 * 4 },
    });
    expect(run.stderr).toMatch(/text 40\/40 1 missing/);
    for (const file of ['text.f32', 'text.mask', 'text.manifest.json']) expect(existsSync(join(dir, file))).toBe(true);

    const info = await runCaptured(['info', '--data-dir', dir, '--json']);
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout).features).toEqual({ text: { dim: 16, itemsWithFeature: 39 } });

    const again = await runCaptured(['features', '--data-dir', dir, '--dim', '16']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/text: up to date/);
    // Another dimension is another encoder: the files are rewritten, not reused.
    const other = await runCaptured(['features', '--data-dir', dir, '--dim', '8', '--json']);
    expect(JSON.parse(other.stdout).text).toMatchObject({ dim: 8, encodedNow: 40 });
  }, 60_000);

  it('writes to --out and says that loading reads the dataset folder', async () => {
    const dir = datasetWithTitles();
    const out = join(dir, 'elsewhere');
    const run = await runCaptured(['features', '--data-dir', dir, '--out', out, '--dim', '4']);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(out, 'text.manifest.json'))).toBe(true);
    expect(existsSync(join(dir, 'text.manifest.json'))).toBe(false);
    expect(run.stderr).toMatch(/reads features from .*; move the files there/);
  }, 60_000);

  it('explains what to download and install for a pretrained model (exit 1), and checks its flags (exit 2)', async () => {
    const dir = datasetWithTitles();
    const noFolder = await runCaptured(['features', '--data-dir', dir, '--text-model', 'Xenova/bert-base-uncased']);
    expect(noFolder.code).toBe(1);
    expect(noFolder.stderr).toMatch(/No local folder for model "Xenova\/bert-base-uncased"/);
    expect(noFolder.stderr).toMatch(/<model-dir>\/Xenova\/bert-base-uncased\/onnx\/model\.onnx/);

    // A folder with every file (SYNTHETIC bytes): the next thing missing is the optional package,
    // which this repository deliberately does not install.
    const modelDir = join(dir, 'models');
    mkdirSync(join(modelDir, 'Xenova/bert-base-uncased/onnx'), { recursive: true });
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'])
      writeFileSync(join(modelDir, 'Xenova/bert-base-uncased', file), '{}');
    const noPackage = await runCaptured([
      'features',
      '--data-dir',
      dir,
      '--text-model',
      'Xenova/bert-base-uncased',
      '--model-dir',
      modelDir,
    ]);
    expect(noPackage.code).toBe(1);
    expect(noPackage.stderr).toMatch(/@huggingface\/transformers is not installed/);
    expect(noPackage.stderr).toMatch(/ONNXRUNTIME_NODE_INSTALL=skip npm install @huggingface\/transformers@\^4/);

    expect((await runCaptured(['features', '--data-dir', dir, '--dim', '0'])).code).toBe(2);
    writeFileSync(join(dir, 'Synthetic.feat1CLS'), new Uint8Array(40 * 4));
    const clash = await runCaptured(['features', '--data-dir', dir]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/Synthetic\.feat1CLS already holds text features .*--out DIR/);
    expect((await runCaptured(['features', '--data-dir', dir, '--text-model', 'none'])).stderr).toMatch(
      /nothing to do/,
    );
    const images = await runCaptured([
      'features',
      '--data-dir',
      dir,
      '--text-model',
      'none',
      '--image-model',
      'Xenova/clip-vit-base-patch32',
    ]);
    expect(images.code).toBe(2);
    expect(images.stderr).toMatch(/pass --meta FILE/);
  }, 60_000);
});
