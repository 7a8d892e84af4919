import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRAINER_SETTINGS } from '@imecd/recommender';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './default-registry';
import { findMatchingRun } from './matching-run';
import type { RunConfig } from './run-config';

const MODELS = createDefaultRegistry();

const base: RunConfig = {
  model: 'sasrec',
  dataset: 'toys',
  datasetDir: '/data/toys',
  seeds: [1, 2, 3],
  train: { ...TRAINER_SETTINGS.defaults },
  hyperparameters: { ...MODELS.defaults('sasrec') },
  presetNote: 'field defaults',
  backend: 'wasm',
  protocol: {
    split: 'leave-one-out',
    ranking: 'full',
    candidates: 10,
    maxHistory: 50,
    maskHistory: false,
    ties: 'expected',
    selection: 'valid ndcg@10',
  },
};

function runsWith(configs: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'imecd-match-'));
  for (const [name, config] of Object.entries(configs)) {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, 'config.json'), JSON.stringify(config));
  }
  return root;
}

describe('findMatchingRun', () => {
  it('matches a run that recorded its data by that fingerprint from any folder, and an older run only by its folder', async () => {
    const recorded = { ...base, datasetDir: '/elsewhere/toys', data: 'sha256:aa' };
    const root = runsWith({ '20261207T000000Z-sasrec-toys': recorded });
    const here = { ...base, data: 'sha256:aa' };
    expect(await findMatchingRun(MODELS, root, here)).toBe(join(root, '20261207T000000Z-sasrec-toys'));
    expect(
      await findMatchingRun(MODELS, root, { ...here, datasetDir: recorded.datasetDir, data: 'sha256:bb' }),
    ).toBeUndefined();

    const older = runsWith({ '20261201T000000Z-sasrec-toys': base });
    expect(await findMatchingRun(MODELS, older, here)).toBe(join(older, '20261201T000000Z-sasrec-toys'));
    expect(await findMatchingRun(MODELS, older, { ...here, datasetDir: '/elsewhere/toys' })).toBeUndefined();
  });

  it('matches a run made before a setting existed when the new config has that setting at its default', async () => {
    const { negativeSamples: _absent, ...olderHyperparameters } = base.hyperparameters;
    const root = runsWith({ '20260101T000000Z-sasrec-toys': { ...base, hyperparameters: olderHyperparameters } });
    expect(await findMatchingRun(MODELS, root, base)).toBe(join(root, '20260101T000000Z-sasrec-toys'));
    expect(
      await findMatchingRun(MODELS, root, {
        ...base,
        hyperparameters: { ...base.hyperparameters, negativeSamples: 256 },
      }),
    ).toBeUndefined();
  });

  it("reads a run made before batching was recorded as the old length-bucketed batching, not as today's default", async () => {
    const { batching: _absent, ...olderTrain } = base.train;
    const root = runsWith({ '20261128T000000Z-sasrec-toys': { ...base, train: olderTrain } });
    expect(base.train.batching).toBe('length-bucketed-weighted');
    expect(await findMatchingRun(MODELS, root, base)).toBeUndefined();
    expect(
      await findMatchingRun(MODELS, root, { ...base, train: { ...base.train, batching: 'length-bucketed' } }),
    ).toBe(join(root, '20261128T000000Z-sasrec-toys'));
  });

  it("reads an IMECD run made before the generator was recorded as the first reading (separate denoiser), not as today's default", async () => {
    const imecd = {
      ...base,
      model: 'imecd',
      dataset: 'scientific',
      hyperparameters: { ...MODELS.defaults('imecd') },
    } as RunConfig;
    const {
      generator: _absent,
      noiseScale: _a,
      guidanceWeight: _b,
      contrastiveTemperature: _c,
      ...older
    } = imecd.hyperparameters;
    const root = runsWith({
      '20261206T065224Z-imecd-scientific': { ...imecd, hyperparameters: { ...older, scoreFusion: 'sum' } },
    });
    expect(imecd.hyperparameters.generator).toBe('approximator');
    expect(await findMatchingRun(MODELS, root, imecd)).toBeUndefined();
    const firstReading = {
      ...imecd,
      hyperparameters: { ...imecd.hyperparameters, generator: 'separate', scoreFusion: 'sum' },
    };
    expect(await findMatchingRun(MODELS, root, firstReading)).toBe(join(root, '20261206T065224Z-imecd-scientific'));
  });

  it('matches an ablation without the contrastive term whatever its dead weight and temperature, but not the full model', async () => {
    const config = (model: string, lambdaContrastive: number) =>
      ({
        ...base,
        model,
        dataset: 'scientific',
        hyperparameters: { ...MODELS.defaults('imecd'), lambdaContrastive },
      }) as RunConfig;
    const root = runsWith({
      '20261206T083657Z-imecd-no-cdg-scientific': config('imecd-no-cdg', 0.1),
      '20261206T082857Z-imecd-scientific': config('imecd', 0.1),
    });
    expect(await findMatchingRun(MODELS, root, config('imecd-no-cdg', 0.01))).toBe(
      join(root, '20261206T083657Z-imecd-no-cdg-scientific'),
    );
    const otherTemperature = config('imecd-no-cdg', 0.01);
    otherTemperature.hyperparameters.contrastiveTemperature = 0.5;
    expect(await findMatchingRun(MODELS, root, otherTemperature)).toBe(
      join(root, '20261206T083657Z-imecd-no-cdg-scientific'),
    );
    expect(await findMatchingRun(MODELS, root, config('imecd', 0.01))).toBeUndefined();
    expect(await findMatchingRun(MODELS, root, config('imecd', 0.1))).toBe(
      join(root, '20261206T082857Z-imecd-scientific'),
    );
  });

  it('tells runs apart by seeds, workers and features, and takes the newest of equal ones', async () => {
    const root = runsWith({
      '20260101T000000Z-sasrec-toys': base,
      '20260102T000000Z-sasrec-toys': base,
      '20260103T000000Z-sasrec-toys': { ...base, workers: 2 },
    });
    expect(await findMatchingRun(MODELS, root, base)).toBe(join(root, '20260102T000000Z-sasrec-toys'));
    expect(await findMatchingRun(MODELS, root, { ...base, workers: 2 })).toBe(
      join(root, '20260103T000000Z-sasrec-toys'),
    );
    expect(await findMatchingRun(MODELS, root, { ...base, seeds: [1] })).toBeUndefined();
    expect(await findMatchingRun(MODELS, root, { ...base, features: { text: 'sha256:00' } })).toBeUndefined();
  });

  it('reads a feature-reading run made before its inputs were recorded as the default inputs, and tells other inputs apart', async () => {
    const mm = {
      ...base,
      model: 'mm-fusion',
      dataset: 'games',
      hyperparameters: { ...MODELS.defaults('mm-fusion') },
      features: { text: 'sha256:11', image: 'sha256:22' },
    } as RunConfig;
    const root = runsWith({ '20261206T000000Z-mm-fusion-games': mm });
    const auto = { ...mm, inputs: { textInput: 'auto', imageInput: 'auto' } } as RunConfig;
    expect(await findMatchingRun(MODELS, root, auto)).toBe(join(root, '20261206T000000Z-mm-fusion-games'));
    const tfidf = { ...auto, inputs: { textInput: 'features', imageInput: 'auto' } } as RunConfig;
    expect(await findMatchingRun(MODELS, root, tfidf)).toBeUndefined();
  });
});
