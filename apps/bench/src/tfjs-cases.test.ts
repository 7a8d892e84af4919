import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { epochCase, stepCase, TOYS_PRESET_HIDDEN_SIZE, windowsOf } from './plan';
import { buildCaseModel } from './tfjs-cases';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// SYNTHETIC sequences over 40 items, enough windows for one full-size (256-row) batch.
const windows = windowsOf(
  Array.from({ length: 300 }, (_, user) =>
    Int32Array.from({ length: 4 + (user % 5) }, (_, step) => ((user + step) % 40) + 1),
  ),
  50,
);

describe('buildCaseModel', () => {
  it('scopes each case model by its case id, so a kept model and the next cases can live side by side', () => {
    const data = { numItems: 40, features: [] };
    const kept = buildCaseModel(epochCase('sasrec-epoch', 'sasrec', 'toys', windows, 2), data).model;
    const next = buildCaseModel(epochCase('sasrec-epoch-bucketed', 'sasrec', 'toys', windows, 2), data).model;
    const step = buildCaseModel(stepCase('sasrec-step', 'sasrec', 'toys', windows, 1, 1), data).model;
    expect(kept.variables[0]!.name).toMatch(/^sasrec-epoch\//);
    expect(next.variables[0]!.name).toMatch(/^sasrec-epoch-bucketed\//);
    for (const model of [kept, next, step]) model.dispose();
  });

  it("builds the toys preset's IMECD with 32 dims per stream and today's default with 64", () => {
    const data = { numItems: 40, features: [] };
    const preset = buildCaseModel(epochCase('imecd-epoch-toys-preset', 'imecd-toys-preset', 'toys', windows, 2), data);
    const generative = buildCaseModel(epochCase('imecd-epoch-toys', 'imecd-generative', 'toys', windows, 2), data);
    expect(preset.config.hiddenSize).toBe(TOYS_PRESET_HIDDEN_SIZE);
    expect(TOYS_PRESET_HIDDEN_SIZE).toBe(32);
    expect(generative.config.hiddenSize).toBe(64);
    preset.model.dispose();
    generative.model.dispose();
  });
});
