import type { FeatureMatrix } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { scaleFeatures } from './feature-scaling';

// Synthetic: 4 rows of 2 dims; row 0 is padding and row 2 has no features (its row holds junk).
const synthetic = (): FeatureMatrix => ({
  modality: 'text',
  dim: 2,
  values: Float32Array.from([0, 0, 3, 4, 100, 100, 5, 4]),
  mask: Uint8Array.from([0, 1, 0, 1]),
  source: 'synthetic',
});

describe('scaleFeatures', () => {
  it('returns the values unchanged for none', () => {
    const features = synthetic();
    expect(scaleFeatures(features, 'none')).toBe(features.values);
  });

  it('centers over present rows, scales to unit mean norm and zeroes the rest', () => {
    // Present rows (3,4) and (5,4): mean (4,4); centered (-1,0), (1,0); mean norm 1.
    expect(Array.from(scaleFeatures(synthetic(), 'center-unit'))).toEqual([0, 0, -1, 0, 0, 0, 1, 0]);
  });

  it('gives present rows mean norm 1 and zero mean', () => {
    const values = Float32Array.from({ length: 6 * 3 }, (_, index) => Math.sin(index * 1.7) * 5 + 7);
    const mask = Uint8Array.from([0, 1, 1, 1, 1, 1]);
    const scaled = scaleFeatures({ modality: 'image', dim: 3, values, mask, source: 'synthetic' }, 'center-unit');
    const rows = [1, 2, 3, 4, 5].map((row) => Array.from(scaled.slice(row * 3, row * 3 + 3)));
    const norms = rows.map((row) => Math.hypot(...row));
    expect(norms.reduce((a, b) => a + b) / 5).toBeCloseTo(1, 6);
    for (let column = 0; column < 3; column++)
      expect(rows.reduce((sum, row) => sum + row[column]!, 0)).toBeCloseTo(0, 5);
  });

  it('leaves all zeros when every present row is the same or none is present', () => {
    const same = {
      modality: 'text',
      dim: 2,
      values: Float32Array.from([0, 0, 2, 2, 2, 2]),
      mask: Uint8Array.from([0, 1, 1]),
      source: 'synthetic',
    };
    expect(Array.from(scaleFeatures(same, 'center-unit'))).toEqual([0, 0, 0, 0, 0, 0]);
    const none = { ...same, mask: Uint8Array.from([0, 0, 0]) };
    expect(Array.from(scaleFeatures(none, 'center-unit'))).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
