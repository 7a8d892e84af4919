import { TRAINER_SETTINGS } from '@imecd/recommender';
import { describe, expect, it } from 'vitest';
import { describeProtocol } from './protocol';
import { type RunConfig, recordedTrainSettings, type SeedMetrics, summarizeRun } from './run-config';

describe('recordedTrainSettings', () => {
  const defaults = TRAINER_SETTINGS.defaults;

  it('reads a run config made before batching was recorded as the length-bucketed batching it ran with', () => {
    const { batching: _absent, ...older } = defaults;
    expect(recordedTrainSettings(older)).toEqual({ ...defaults, batching: 'length-bucketed' });
    expect(recordedTrainSettings(defaults)).toEqual(defaults);
  });

  it('reads a run config made before maxStepPositions existed as a run without a cap', () => {
    const { maxStepPositions: _absent, ...older } = defaults;
    expect(recordedTrainSettings(older).maxStepPositions).toBe(0);
  });
});

describe('summarizeRun', () => {
  const config: RunConfig = {
    model: 'imecd',
    dataset: 'synthetic',
    datasetDir: '/data/synthetic',
    seeds: [1, 2],
    train: TRAINER_SETTINGS.defaults,
    hyperparameters: {},
    presetNote: 'test',
    backend: 'cpu',
    protocol: describeProtocol(0, 50),
    features: { text: 'sha256:00' },
  };
  const seed = (seed: number, epochsRun: number, secondsPerEpoch: number): SeedMetrics => ({
    seed,
    valid: { 'ndcg@10': 0.1 },
    test: { 'ndcg@10': 0.1 },
    bestEpoch: 1,
    epochsRun,
    secondsPerEpoch,
  });

  it("adds the seeds' epoch hours up and says which inputs a feature-reading run read", () => {
    const summary = summarizeRun(config, 'cpu', '/runs/x', [seed(1, 10, 360), seed(2, 20, 90)]);
    expect(summary.hours).toBeCloseTo(1.5, 12); // 10 × 360 s + 20 × 90 s = 5,400 s
    expect(summary.secondsPerEpoch).toBe(225);
    expect(summary.inputs).toEqual({ textInput: 'auto', imageInput: 'auto' });
    const tfidf = summarizeRun({ ...config, inputs: { textInput: 'features', imageInput: 'none' } }, 'cpu', '/r', [
      seed(1, 1, 1),
    ]);
    expect(tfidf.inputs).toEqual({ textInput: 'features', imageInput: 'none' });
    const { features: _none, ...sasrec } = config;
    expect(summarizeRun(sasrec, 'cpu', '/r', [seed(1, 1, 1)]).inputs).toBeUndefined();
  });
});
