import { describe, expect, it } from 'vitest';
import type { FeatureMatrix, SequenceDataset } from '../types';
import { datasetStatistics } from './dataset-statistics';

function matrix(modality: string): FeatureMatrix {
  return { modality, dim: 1, values: new Float32Array(4), mask: new Uint8Array(4), source: 'synthetic' };
}

describe('datasetStatistics', () => {
  const dataset: SequenceDataset = {
    name: 'synthetic',
    layout: 'test',
    numUsers: 2,
    numItems: 3,
    sequences: [Int32Array.from([1, 2, 3]), Int32Array.from([2])],
    userKeys: ['a', 'b'],
    itemKeys: ['', 'x', 'y', 'z'],
    features: {},
  };

  it('counts users, items, interactions, lengths and density', () => {
    expect(datasetStatistics(dataset)).toEqual({
      users: 2,
      items: 3,
      interactions: 4,
      avgLength: 2,
      minLength: 1,
      maxLength: 3,
      density: 4 / 6,
      modalities: ['id'],
      features: {},
    });
  });

  it('counts the items each feature matrix and code index covers, item 0 (padding) aside', () => {
    const image = { ...matrix('image'), mask: Uint8Array.from([1, 1, 0, 1]) };
    const codes = {
      modality: 'text',
      levels: 2,
      codesPerLevel: 4,
      codes: new Int32Array(8),
      mask: Uint8Array.from([1, 0, 1, 0]),
      source: 'synthetic',
    };
    const stats = datasetStatistics({ ...dataset, features: { image }, itemCodes: { text: codes } });
    expect(stats.features).toEqual({
      image: { dim: 1, itemsWithFeature: 2 },
      'text codes': { levels: 2, codesPerLevel: 4, itemsWithFeature: 1 },
    });
  });

  it('lists text first when there is item text or a text matrix, then the other feature modalities', () => {
    expect(datasetStatistics({ ...dataset, itemText: [undefined, 'x', undefined, undefined] }).modalities).toEqual([
      'id',
      'text',
    ]);
    expect(
      datasetStatistics({ ...dataset, itemText: [undefined, undefined, undefined, undefined] }).modalities,
    ).toEqual(['id']);
    const features = { image: matrix('image'), text: matrix('text') };
    expect(datasetStatistics({ ...dataset, features }).modalities).toEqual(['id', 'text', 'image']);
  });
});
