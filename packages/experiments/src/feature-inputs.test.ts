import { describe, expect, it } from 'vitest';
import { SettingsError } from './errors';
import { featureFingerprints, modalityInputs } from './feature-inputs';
import { syntheticDataset } from './synthetic.test-helper';

const matrix = (value: number) => ({
  modality: 'text',
  source: 'synthetic',
  dim: 2,
  values: new Float32Array(26).fill(value),
  mask: new Uint8Array(13).fill(1),
});

const codes = {
  modality: 'text',
  source: 'synthetic',
  levels: 1,
  codesPerLevel: 4,
  codes: new Int32Array(13),
  mask: new Uint8Array(13).fill(1),
};

describe('modalityInputs and featureFingerprints', () => {
  it('prefer item codes to a matrix of the same modality, and fingerprint values, width and mask', () => {
    const dataset = syntheticDataset({ text: matrix(1), image: matrix(1) });
    expect(modalityInputs({ ...dataset, itemCodes: { text: codes } })).toEqual({
      text: codes,
      image: dataset.features.image,
    });
    const prints = featureFingerprints(dataset);
    expect(Object.keys(prints)).toEqual(['text', 'image']);
    expect(prints.text).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(prints.text).toBe(prints.image);
    expect(featureFingerprints(syntheticDataset({ text: matrix(2) })).text).not.toBe(prints.text);
    const masked = matrix(1);
    masked.mask[3] = 0;
    expect(featureFingerprints(syntheticDataset({ text: masked })).text).not.toBe(prints.text);
    expect(featureFingerprints({ ...dataset, itemCodes: { text: codes } }).text).not.toBe(prints.text);
    expect(featureFingerprints(syntheticDataset())).toEqual({});
  });

  it('read what the input settings choose, fingerprint only that, and name what a dataset lacks', () => {
    const dataset = { ...syntheticDataset({ text: matrix(1), image: matrix(2) }), itemCodes: { text: codes } };
    expect(modalityInputs(dataset, { textInput: 'features' })).toEqual({
      text: dataset.features.text,
      image: dataset.features.image,
    });
    expect(modalityInputs(dataset, { textInput: 'codes', imageInput: 'none' })).toEqual({ text: codes });
    expect(modalityInputs(dataset, { textInput: 'none', imageInput: 'none' })).toEqual({});
    const auto = featureFingerprints(dataset);
    const chosen = featureFingerprints(dataset, { textInput: 'features', imageInput: 'none' });
    expect(Object.keys(chosen)).toEqual(['text']);
    expect(chosen.text).toBe(featureFingerprints(syntheticDataset({ text: matrix(1) })).text);
    expect(chosen.text).not.toBe(auto.text);
    expect(() => modalityInputs(dataset, { imageInput: 'codes' })).toThrow(
      new SettingsError('imageInput=codes: the dataset has no image codes (it has image features)'),
    );
    expect(() => modalityInputs(syntheticDataset(), { textInput: 'features' })).toThrow(
      'textInput=features: the dataset has no text features (it has no text input)',
    );
  });
});
