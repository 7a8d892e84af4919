import { describe, expect, it } from 'vitest';
import { featureFingerprints, modalityInputs } from './feature-inputs';
import { syntheticDataset } from './synthetic.test-helper';

const matrix = (value: number) => ({
  modality: 'text',
  source: 'synthetic',
  dim: 2,
  values: new Float32Array(26).fill(value),
  mask: new Uint8Array(13).fill(1),
});

describe('modalityInputs and featureFingerprints', () => {
  it('prefer item codes to a matrix of the same modality, and fingerprint values, width and mask', () => {
    const dataset = syntheticDataset({ text: matrix(1), image: matrix(1) });
    const codes = {
      modality: 'text',
      source: 'synthetic',
      levels: 1,
      codesPerLevel: 4,
      codes: new Int32Array(13),
      mask: new Uint8Array(13).fill(1),
    };
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
});
