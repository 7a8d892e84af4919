import { describe, expect, it } from 'vitest';
import { ALL_MODEL_NAMES, modelDefaults } from '../src/models';
import { resolveSettings } from '../src/presets';

describe('presets', () => {
  it('say where every IMECD-family setting on toys and games came from, and leave the defaults as they are', () => {
    for (const dataset of ['toys', 'games']) {
      for (const model of ['mm-fusion', 'imecd', 'imecd-no-vq'] as const) {
        const { hyperparameters, presetNote } = resolveSettings(dataset, model, {});
        expect(presetNote).toMatch(new RegExp(`not searched on ${dataset}`));
        expect(hyperparameters).toEqual(modelDefaults(model));
      }
    }
  });

  it('fall back to the field defaults, and --set wins over a preset', () => {
    expect(resolveSettings('instruments', 'sasrec', {}).presetNote).toBe('field defaults (no tuned preset)');
    const { hyperparameters, train } = resolveSettings('toys', 'imecd', { codebookSize: '256', epochs: '3' });
    expect(hyperparameters['codebookSize']).toBe(256);
    expect(train.epochs).toBe(3);
    for (const model of ALL_MODEL_NAMES) expect(() => resolveSettings('scientific', model, {})).not.toThrow();
  });
});
