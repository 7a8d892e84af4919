import type { SequenceDataset } from '../types';

export interface DatasetStatistics {
  users: number;
  items: number;
  interactions: number;
  /** Mean sequence length. */
  avgLength: number;
  minLength: number;
  maxLength: number;
  /** interactions / (users × items). */
  density: number;
  /**
   * What describes an item: always 'id'; 'text' when there is item text or a text feature matrix;
   * then every other feature modality, e.g. ['id', 'text', 'image'].
   */
  modalities: string[];
  /**
   * Each feature matrix (by modality) and each code index (`<modality> codes`): its shape and how
   * many items have it (the others are masked as missing).
   */
  features: Record<string, FeatureCoverage>;
}

export interface FeatureCoverage {
  /** A feature matrix's width. */
  dim?: number;
  /** A code index's levels and codes per level. */
  levels?: number;
  codesPerLevel?: number;
  itemsWithFeature: number;
}

export function datasetStatistics(dataset: SequenceDataset): DatasetStatistics {
  let interactions = 0;
  let minLength = Number.POSITIVE_INFINITY;
  let maxLength = 0;
  for (const sequence of dataset.sequences) {
    interactions += sequence.length;
    minLength = Math.min(minLength, sequence.length);
    maxLength = Math.max(maxLength, sequence.length);
  }
  const users = dataset.sequences.length;
  const modalities = ['id'];
  const codes = dataset.itemCodes ?? {};
  const hasText =
    dataset.itemText?.some((text) => text !== undefined) === true || 'text' in dataset.features || 'text' in codes;
  if (hasText) modalities.push('text');
  for (const modality of new Set([...Object.keys(dataset.features), ...Object.keys(codes)]))
    if (modality !== 'text') modalities.push(modality);
  return {
    users,
    items: dataset.numItems,
    interactions,
    avgLength: users === 0 ? 0 : interactions / users,
    minLength: users === 0 ? 0 : minLength,
    maxLength,
    density: users === 0 || dataset.numItems === 0 ? 0 : interactions / (users * dataset.numItems),
    modalities,
    features: featureCoverage(dataset),
  };
}

function featureCoverage(dataset: SequenceDataset): Record<string, FeatureCoverage> {
  const present = (mask: Uint8Array) => {
    let count = 0;
    for (let item = 1; item <= dataset.numItems; item++) count += mask[item] ?? 0;
    return count;
  };
  const features: Record<string, FeatureCoverage> = {};
  for (const [modality, matrix] of Object.entries(dataset.features))
    features[modality] = { dim: matrix.dim, itemsWithFeature: present(matrix.mask) };
  for (const [modality, codes] of Object.entries(dataset.itemCodes ?? {})) {
    const { levels, codesPerLevel, mask } = codes;
    features[`${modality} codes`] = { levels, codesPerLevel, itemsWithFeature: present(mask) };
  }
  return features;
}
