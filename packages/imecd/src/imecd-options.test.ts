import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { IMECD_DEFAULTS, IMECD_SETTINGS, resolveImecdOptions } from './imecd-options';
import { SYNTHETIC_ITEMS, syntheticFeatures } from './synthetic.test-helper';

describe('resolveImecdOptions', () => {
  it('fills the documented defaults and orders the streams id, text, image', () => {
    const resolved = resolveImecdOptions({
      numItems: SYNTHETIC_ITEMS,
      features: { image: syntheticFeatures('image', 3, 1), text: syntheticFeatures('text', 5, 2) },
    });
    expect(resolved).toMatchObject({
      ...IMECD_DEFAULTS,
      moe: 'id-guided',
      vq: true,
      diffusion: true,
      contrastive: true,
      seed: 1,
      name: 'imecd',
    });
    expect(resolved.streams).toEqual(['id', 'text', 'image']);
    expect(resolved.featureSizes).toEqual({ text: 5, image: 3 });
  });

  it('names the setting and its allowed range when a value is out of it', () => {
    expect(() => resolveImecdOptions({ numItems: 3, guidanceWeight: 1 })).toThrow(
      'Invalid guidanceWeight: expected number in [0, 1), got 1',
    );
    expect(() => resolveImecdOptions({ numItems: 3, numLayers: 0 })).toThrow(
      'Invalid numLayers: expected integer ≥ 1, got 0',
    );
    expect(() => resolveImecdOptions({ numItems: 3, generator: 'mlp' as never })).toThrow(
      "Invalid generator: expected 'approximator' | 'separate', got 'mlp'",
    );
  });

  it('declares every tunable setting once, with the encoder settings of @imecd/nn', () => {
    expect(IMECD_DEFAULTS).toBe(IMECD_SETTINGS.defaults);
    expect(IMECD_SETTINGS.keys.slice(0, 7)).toEqual([
      'hiddenSize',
      'numLayers',
      'numHeads',
      'innerSize',
      'dropout',
      'attentionDropout',
      'maxLength',
    ]);
    expect(IMECD_SETTINGS.parse('scoreStreams', 'text')).toBe('text');
  });

  it('has the ID stream alone without features', () => {
    expect(resolveImecdOptions({ numItems: 3 }).streams).toEqual(['id']);
  });

  it('rejects a feature matrix of the wrong size, naming it', () => {
    const features = syntheticFeatures('text', 4, 1);
    expect(() => resolveImecdOptions({ numItems: SYNTHETIC_ITEMS + 1, features: { text: features } })).toThrow(
      ShapeMismatchError,
    );
    expect(() => resolveImecdOptions({ numItems: SYNTHETIC_ITEMS + 1, features: { text: features } })).toThrow(
      /features\.text\.values/,
    );
  });

  it('rejects an unknown modality, a contrastive loss without diffusion and too many sampling steps', () => {
    const audio = { audio: syntheticFeatures('audio', 2, 1) } as never;
    expect(() => resolveImecdOptions({ numItems: SYNTHETIC_ITEMS, features: audio })).toThrow(InvalidArgumentError);
    expect(() => resolveImecdOptions({ numItems: 5, diffusion: false })).toThrow(/contrastive/);
    expect(() => resolveImecdOptions({ numItems: 5, diffusionSteps: 4, samplingSteps: 5 })).toThrow(/samplingSteps/);
    expect(() => resolveImecdOptions({ numItems: 5, moe: 'gated' as never })).toThrow(/moe/);
  });
});
