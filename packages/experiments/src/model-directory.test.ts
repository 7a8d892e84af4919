import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureMatrix } from '@imecd/core';
import { loadDataset, type SequenceDataset } from '@imecd/data-amazon';
import { type RecommenderModel, recommend, TRAINER_SETTINGS } from '@imecd/recommender';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './default-registry';
import { exportRunModel, loadModelDirectory } from './model-directory';
import { syntheticDataset, useCpuBackend, writeSyntheticDataset } from './synthetic.test-helper';
import { trainRuns } from './train-runs';
import { loadBestModel, openRun } from './trained-run';

beforeAll(useCpuBackend);

const registry = createDefaultRegistry();
const small = { hiddenSize: 16, innerSize: 32, maxLength: 10, dropout: 0, attentionDropout: 0 };
const histories = [[1, 6, 11], [2], [10, 3, 8, 12, 7]];

/** A 2-epoch run of `model` on synthetic data; returns its folder and dataset. */
async function trainedRun(model: string, dataset: SequenceDataset, datasetDir: string, extra: object = {}) {
  const { summary } = await trainRuns({
    registry,
    backend: 'cpu',
    dataset,
    run: {
      kind: 'new',
      model,
      datasetName: dataset.name,
      datasetDir,
      seeds: [2],
      settings: {
        train: { ...TRAINER_SETTINGS.defaults, epochs: 2, batchSize: 16, learningRate: 0.01 },
        hyperparameters: registry.recordedHyperparameters(model, model === 'pop' ? {} : { ...small, ...extra }),
      },
      outDir: mkdtempSync(join(tmpdir(), 'imecd-runs-')),
      command: `pnpm reproduce train --model ${model} --out-dir /somewhere/runs`,
    },
  });
  return summary!.runDir;
}

/**
 * The top-5 of each history from the run's own checkpoint, then from the exported directory (one
 * at a time: tfjs variable names are global, so two copies of a model cannot live at once).
 */
async function bothWays(runDir: string, dataset: SequenceDataset, out: string) {
  const { config } = await openRun(runDir);
  const top = (model: RecommenderModel) => histories.map((history) => recommend(model, history, { k: 5 }));
  const own = (await loadBestModel(registry, config, dataset, 2, join(runDir, 'seed-2')))!.model;
  const ownTop = top(own);
  own.dispose();
  const loaded = await loadModelDirectory({ path: out });
  return { own: ownTop, exported: top(loaded.model), loaded };
}

function expectSameRecommendations(a: ReturnType<typeof recommend>[], b: ReturnType<typeof recommend>[]) {
  expect(b.map((list) => list.map((entry) => entry.item))).toEqual(a.map((list) => list.map((entry) => entry.item)));
  a.flat().forEach((entry, index) => {
    expect(b.flat()[index]!.score).toBeCloseTo(entry.score, 5);
  });
}

describe('exportRunModel and loadModelDirectory (synthetic data, cpu)', () => {
  it('round-trips sasrec: the same top-K and scores as the run’s checkpoint, from a folder, files in memory or a URL', async () => {
    const datasetDir = writeSyntheticDataset();
    const dataset = await loadDataset(datasetDir, { name: 'synthetic' });
    const runDir = await trainedRun('sasrec', dataset, datasetDir);
    const out = join(mkdtempSync(join(tmpdir(), 'imecd-export-')), 'model');
    const { card, files } = await exportRunModel({ registry, run: runDir, dataset, out });
    expect(readdirSync(out).sort()).toEqual(['catalogue.json', 'group1-shard1of1.bin', 'model.json']);
    expect(files.map((file) => file.name).sort()).toEqual(readdirSync(out).sort());
    expect(card).toMatchObject({ model: 'sasrec', dataset: 'synthetic', seed: 2, numItems: 40, maxLength: 10 });
    expect(card.test['ndcg@10']).toBeGreaterThanOrEqual(0);
    expect(card.command).toBe('pnpm reproduce train --model sasrec --out-dir runs');
    expect(readFileSync(join(out, 'model.json'), 'utf8')).not.toMatch(/"\/(tmp|work|home)\//);

    const before = tf.memory().numTensors;
    const { own, exported, loaded } = await bothWays(runDir, dataset, out);
    expectSameRecommendations(own, exported);
    expect(loaded.catalogue.keys).toEqual(dataset.itemKeys);
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);

    const inMemory = Object.fromEntries(readdirSync(out).map((name) => [name, readFileSync(join(out, name))]));
    const fetchFile = async (url: string) => {
      const name = url.replace('https://example.test/m/', '');
      return name in inMemory ? new Response(inMemory[name]) : new Response('', { status: 404 });
    };
    for (const source of [{ files: inMemory }, { url: 'https://example.test/m', fetch: fetchFile as typeof fetch }]) {
      const other = await loadModelDirectory(source);
      expectSameRecommendations(
        own,
        histories.map((history) => recommend(other.model, history, { k: 5 })),
      );
      other.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);

    // TensorFlow.js's own reader gets the same weights from model.json and its shard.
    const modelJson = JSON.parse(inMemory['model.json']!.toString('utf8'));
    const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => [
      manifest[0]!.weights,
      new Uint8Array(inMemory[manifest[0]!.paths[0]!]!).buffer,
    ]);
    const named = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
    const again = await loadModelDirectory({ path: out });
    for (const variable of again.model.variables)
      expect(Array.from(named[variable.name]!.dataSync())).toEqual(Array.from(variable.dataSync()));
    tf.dispose(Object.values(named));
    again.dispose();
  }, 120_000);

  it('round-trips imecd with its features, and pop with its counts', async () => {
    const items = 12;
    const values = Float32Array.from({ length: (items + 1) * 6 }, (_, index) => Math.sin(index * 1.7));
    const mask = Uint8Array.from({ length: items + 1 }, (_, item) => (item === 0 || item === 5 ? 0 : 1));
    const text: FeatureMatrix = { modality: 'text', dim: 6, values, mask, source: 'synthetic' };
    const dataset = syntheticDataset({ text }, 20, items);
    const datasetDir = mkdtempSync(join(tmpdir(), 'imecd-synthetic-'));
    const imecdSettings = { numExperts: 2, codebookSize: 4, diffusionSteps: 4, samplingSteps: 2 };
    for (const [model, extra] of [
      ['imecd', imecdSettings],
      ['pop', {}],
    ] as const) {
      const runDir = await trainedRun(model, dataset, datasetDir, extra);
      const out = join(mkdtempSync(join(tmpdir(), 'imecd-export-')), model);
      await exportRunModel({ registry, run: runDir, dataset, out });
      const { own, exported, loaded } = await bothWays(runDir, dataset, out);
      expectSameRecommendations(own, exported);
      loaded.dispose();
    }
  }, 180_000);

  it('refuses a newer format, a missing or short shard, an unknown model or setting, and leaves no tensors behind', async () => {
    const datasetDir = writeSyntheticDataset();
    const dataset = await loadDataset(datasetDir, { name: 'synthetic' });
    const out = join(mkdtempSync(join(tmpdir(), 'imecd-export-')), 'model');
    await exportRunModel({ registry, run: await trainedRun('sasrec', dataset, datasetDir), dataset, out });
    await expect(exportRunModel({ registry, run: out, dataset, out })).rejects.toThrow(/exists and is not empty/);
    const original = readFileSync(join(out, 'model.json'), 'utf8');
    const broken = (edit: (json: { userDefinedMetadata: { imecd: Record<string, unknown> } }) => void) => {
      const json = JSON.parse(original);
      edit(json);
      writeFileSync(join(out, 'model.json'), JSON.stringify(json));
    };
    const before = tf.memory().numTensors;
    const fails = (pattern: RegExp) => expect(loadModelDirectory({ path: out })).rejects.toThrow(pattern);

    broken((json) => {
      json.userDefinedMetadata.imecd.formatVersion = 2;
    });
    await fails(/model\.json: format version 2 is newer than this reader's \(1\)/);
    broken((json) => {
      json.userDefinedMetadata.imecd.model = 'gru4rec';
    });
    await fails(/model\.json: model "gru4rec" is not one this registry knows/);
    broken((json) => {
      json.userDefinedMetadata.imecd.hyperparameters = {
        ...(json.userDefinedMetadata.imecd.hyperparameters as object),
        warp: 9,
      };
    });
    await fails(/model\.json: the model cannot be rebuilt from this file: .*warp/);
    broken((json) => {
      json.userDefinedMetadata.imecd.hyperparameters = {
        ...(json.userDefinedMetadata.imecd.hyperparameters as object),
        hiddenSize: 8,
      };
    });
    await fails(/model\.json: the model cannot be rebuilt from this file: .*shape/i);
    writeFileSync(join(out, 'model.json'), original);

    const shard = join(out, 'group1-shard1of1.bin');
    const bytes = readFileSync(shard);
    truncateSync(shard, bytes.length - 4);
    await fails(
      new RegExp(`group1-shard1of1\\.bin: ${bytes.length - 4} bytes; model\\.json's weights need ${bytes.length}`),
    );
    rmSync(shard);
    await fails(/group1-shard1of1\.bin: missing/);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
