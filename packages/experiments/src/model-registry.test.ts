import { defineSettings } from '@imecd/core';
import { IMECD_SETTINGS, IMECD_VARIANT_NAMES } from '@imecd/imecd';
import { createPop } from '@imecd/recommender';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './default-registry';
import { createModelRegistry } from './model-registry';
import { useCpuBackend } from './synthetic.test-helper';

beforeAll(useCpuBackend);

const TOY_SETTINGS = defineSettings({
  maxLength: { kind: 'integer', default: 5, min: 1, doc: 'history read' },
  fromAll: { kind: 'boolean', default: false, doc: 'count every interaction' },
});

describe('createModelRegistry', () => {
  it('resolves a model’s settings through its schema before its factory sees them, and keeps features from models that read none', () => {
    const seen: unknown[] = [];
    const registry = createModelRegistry().registerModel({
      name: 'toy',
      settings: TOY_SETTINGS,
      capabilities: { readsFeatures: false, inferenceSettings: [] },
      create: (context) => {
        seen.push(context);
        return createPop({ numItems: context.numItems, maxLength: context.hyperparameters.maxLength });
      },
    });
    const model = registry.create('toy', {
      numItems: 3,
      seed: 7,
      hyperparameters: { maxLength: 2 },
      inputs: { text: undefined },
    });
    expect(model.maxLength).toBe(2);
    expect(seen).toEqual([{ numItems: 3, seed: 7, hyperparameters: { maxLength: 2, fromAll: false }, inputs: {} }]);
    expect(() => registry.create('toy', { numItems: 3, seed: 1, hyperparameters: { maxLength: 0 } })).toThrow(
      'Invalid maxLength: expected integer ≥ 1, got 0',
    );
    expect(() => registry.create('toy', { numItems: 3, seed: 1, hyperparameters: { depth: 2 } })).toThrow(
      'toy has no setting "depth"',
    );
    expect(registry.get('toy').capabilities).toEqual({
      readsFeatures: false,
      splittableLoss: false,
      inferenceSettings: [],
    });
  });

  it('refuses a name twice and names the known models for an unknown one', () => {
    const registry = createDefaultRegistry();
    expect(() =>
      registry.registerModel({
        name: 'pop',
        settings: TOY_SETTINGS,
        capabilities: { readsFeatures: false, inferenceSettings: [] },
        create: () => createPop({ numItems: 1 }),
      }),
    ).toThrow('model "pop" is registered already');
    expect(() => registry.get('bert4rec')).toThrow(
      `unknown model "bert4rec"; choose one of pop, sasrec, sasrec-bce, ${IMECD_VARIANT_NAMES.join(', ')}`,
    );
  });
});

describe('createDefaultRegistry', () => {
  const registry = createDefaultRegistry();

  it('has the baselines, then IMECD and its variants in table order', () => {
    expect(registry.names).toEqual(['pop', 'sasrec', 'sasrec-bce', ...IMECD_VARIANT_NAMES]);
    expect(registry.defaults('imecd-no-vq')).toEqual(IMECD_SETTINGS.defaults);
  });

  it('declares the capabilities the built models have', () => {
    for (const name of ['sasrec', 'imecd']) {
      const model = registry.create(name, { numItems: 12, seed: 1, hyperparameters: { hiddenSize: 8, innerSize: 16 } });
      try {
        expect(model.splittableLoss ?? false, name).toBe(registry.get(name).capabilities.splittableLoss);
      } finally {
        model.dispose();
      }
    }
    expect(registry.get('imecd').capabilities.readsFeatures).toBe(true);
    expect(registry.get('imecd').capabilities.inferenceSettings).toEqual([
      'scoreFusion',
      'samplingSteps',
      'scoreStreams',
    ]);
    expect(registry.get('sasrec').capabilities.inferenceSettings).toEqual([]);
  });

  it('reads an IMECD run made before the generator was recorded as the first reading, and ignores dead settings', () => {
    expect(registry.recordedHyperparameters('imecd', {}).generator).toBe('separate');
    expect(registry.recordedHyperparameters('imecd', { generator: 'approximator' }).generator).toBe('approximator');
    expect(registry.recordedHyperparameters('sasrec', {})).toEqual(registry.defaults('sasrec'));
    expect(registry.identifyingHyperparameters('imecd-no-cdg', {})).not.toHaveProperty('lambdaContrastive');
    expect(registry.identifyingHyperparameters('imecd', {})).toHaveProperty('lambdaContrastive');
  });

  it("checks IMECD's settings against each other and the run's streams; baselines have nothing to check", () => {
    const generative = registry.recordedHyperparameters('imecd', { generator: 'approximator' });
    expect(() =>
      registry.checkHyperparameters('imecd', { ...generative, scoreStreams: 'text' }, ['text']),
    ).not.toThrow();
    expect(() => registry.checkHyperparameters('imecd', { ...generative, scoreStreams: 'image' }, ['text'])).toThrow(
      `Invalid scoreStreams: expected one of all, id, text (this run's streams), got "image"`,
    );
    expect(() => registry.checkHyperparameters('imecd', { ...generative, scoreFusion: 'sum' })).toThrow(/scoreFusion/);
    expect(() => registry.checkHyperparameters('sasrec', { anything: 1 })).not.toThrow();
  });
});
