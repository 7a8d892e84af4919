import { IMECD_VARIANT_NAMES } from '@imecd/imecd';
import { describe, expect, it } from 'vitest';
import { PRESETS, resolveSettings } from './presets';
import { MODELS } from './registry';

describe('presets', () => {
  it('say where every IMECD-family setting on toys and games came from, and change only what they say', () => {
    for (const dataset of ['toys', 'games']) {
      for (const model of ['mm-fusion', 'imecd', 'imecd-no-vq'] as const) {
        const { hyperparameters, presetNote } = resolveSettings(dataset, model, {});
        expect(presetNote).toMatch(new RegExp(`not searched on ${dataset}`));
        // 32 dims per stream (toys: two streams as wide as SASRec; games: half the cost), the rest the defaults.
        expect(presetNote).toMatch(/hiddenSize 32 per stream/);
        expect(hyperparameters).toEqual({ ...MODELS.defaults(model), hiddenSize: 32 });
      }
    }
    // The three-stream datasets step a batch in parts that fit wasm's heap; toys has two streams and no cap.
    for (const dataset of ['games', 'instruments-mm'])
      expect(resolveSettings(dataset, 'imecd', {}).train.maxStepPositions).toBe(4096);
    expect(resolveSettings('toys', 'imecd', {}).train.maxStepPositions).toBe(0);
  });

  it("read games' title TF-IDF as the text stream (chosen on validation) and every other dataset's defaults, unless --set says otherwise", () => {
    for (const model of IMECD_VARIANT_NAMES) {
      const { inputs, presetNote } = resolveSettings('games', model, {});
      expect(inputs).toEqual({ textInput: 'features', imageInput: 'auto' });
      expect(presetNote).toMatch(/textInput 'features'.*results\/feature-neighbours\.md/);
    }
    for (const dataset of ['scientific', 'toys', 'instruments-mm'])
      expect(resolveSettings(dataset, 'imecd', {}).inputs).toEqual({ textInput: 'auto', imageInput: 'auto' });
    expect(resolveSettings('games', 'imecd', { textInput: 'codes' }).inputs.textInput).toBe('codes');
  });

  it('fall back to the field defaults, and --set wins over a preset', () => {
    expect(resolveSettings('instruments', 'sasrec', {}).presetNote).toBe('field defaults (no tuned preset)');
    const { hyperparameters, train } = resolveSettings('toys', 'imecd', { codebookSize: '256', epochs: '3' });
    expect(hyperparameters.codebookSize).toBe(256);
    expect(train.epochs).toBe(3);
    for (const model of MODELS.names) expect(() => resolveSettings('scientific', model, {})).not.toThrow();
  });

  it("keep every preset inside its model's and the trainer's declared settings", () => {
    for (const [dataset, presets] of Object.entries(PRESETS))
      for (const model of Object.keys(presets))
        expect(() => resolveSettings(dataset, model, {}), `${dataset}/${model}`).not.toThrow();
  });

  it('name the setting and its range when --set gives a value outside it', () => {
    expect(() => resolveSettings('toys', 'imecd', { guidanceWeight: '1.5' })).toThrow(
      '--set guidanceWeight: expected number in [0, 1), got 1.5',
    );
    expect(() => resolveSettings('toys', 'sasrec', { learningRate: '0' })).toThrow(
      '--set learningRate: expected number > 0, got 0',
    );
  });

  it('batch every model with the unbiased length-bucketed-weighted batching unless --set batching names another', () => {
    for (const model of MODELS.names)
      expect(resolveSettings('toys', model, {}).train.batching).toBe('length-bucketed-weighted');
    expect(resolveSettings('toys', 'sasrec', { batching: 'length-bucketed' }).train.batching).toBe('length-bucketed');
    expect(() => resolveSettings('toys', 'sasrec', { batching: 'sorted' })).toThrow(
      "--set batching: expected 'length-bucketed-weighted' | 'position-budget' | 'length-bucketed' | 'random', got 'sorted'",
    );
  });

  it('cap the positions of one gradient computation only where the memory needs it (instruments-mm IMECD family), or with --set', () => {
    expect(resolveSettings('scientific', 'imecd', {}).train.maxStepPositions).toBe(0);
    expect(resolveSettings('instruments-mm', 'sasrec', {}).train.maxStepPositions).toBe(0);
    for (const model of IMECD_VARIANT_NAMES)
      expect(resolveSettings('instruments-mm', model, {}).train.maxStepPositions).toBe(4096);
    expect(resolveSettings('toys', 'sasrec', { maxStepPositions: '2048' }).train.maxStepPositions).toBe(2048);
    expect(() => resolveSettings('toys', 'sasrec', { maxStepPositions: '-1' })).toThrow(
      '--set maxStepPositions: expected integer ≥ 0, got -1',
    );
    expect(() => resolveSettings('toys', 'sasrec', { maxStepPositions: '10.5' })).toThrow(/maxStepPositions/);
  });
});
