import type { FeatureMatrix } from '@imecd/core';

/**
 * How frozen features are rescaled before the projection. `'center-unit'`: subtract the mean row
 * over the items that have the modality, then divide by the centered rows' mean L2 norm.
 * `'none'`: as read.
 *
 * Why: pretrained text/image vectors share a large common direction (on scientific the mean row has
 * norm 5.2 of a typical row's 7.3 for text, 8.0 of 10.3 for images), so after a linear projection
 * every item's r_m is nearly the same vector, its scores barely tell items apart, and its scale
 * (norm ~3 at initialisation) dwarfs the N(0, 0.02²) ID embeddings in the summed logits.
 * Centering removes the shared part; unit mean norm puts the projected rows on the ID table's scale.
 */
export type FeatureScaling = 'center-unit' | 'none';

/** The rescaled rows (a new array); rows whose mask is 0 stay zero. */
export function scaleFeatures(features: FeatureMatrix, scaling: FeatureScaling): Float32Array {
  const { values, dim, mask } = features;
  if (scaling === 'none') return values;
  const rows = mask.length;
  const mean = new Float64Array(dim);
  let present = 0;
  for (let row = 0; row < rows; row++) {
    if (mask[row] === 0) continue;
    present++;
    for (let column = 0; column < dim; column++) mean[column]! += values[row * dim + column]!;
  }
  const scaled = new Float32Array(values.length);
  if (present === 0) return scaled;
  for (let column = 0; column < dim; column++) mean[column]! /= present;
  let normSum = 0;
  for (let row = 0; row < rows; row++) {
    if (mask[row] === 0) continue;
    let squared = 0;
    for (let column = 0; column < dim; column++) {
      const centered = values[row * dim + column]! - mean[column]!;
      scaled[row * dim + column] = centered;
      squared += centered * centered;
    }
    normSum += Math.sqrt(squared);
  }
  const meanNorm = normSum / present;
  // All present rows identical: centering leaves zeros, which carry no information either way.
  if (meanNorm === 0) return scaled;
  for (let index = 0; index < scaled.length; index++) scaled[index]! /= meanNorm;
  return scaled;
}
