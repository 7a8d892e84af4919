import { selectBackend } from '@imecd/backend';
import { createRng, type FeatureMatrix } from '@imecd/core';
import { expectNoLeakedTensors } from '@imecd/nn/testing';
import type { RecommenderModel, TrainingBatch } from '@imecd/recommender';
import * as tf from '@tensorflow/tfjs-core';
import type { ImecdOptions } from './imecd-options';

/** Tests run on the pure-JS cpu backend with the project's fast kernels registered. */
export async function useCpuBackend(): Promise<void> {
  await selectBackend({ backend: 'cpu', env: {} });
}

/** Items of the synthetic fixtures. */
export const SYNTHETIC_ITEMS = 12;

/** A model small enough for the cpu backend: every part is there, each a few hundred weights. */
export const TINY: Omit<ImecdOptions, 'numItems'> = {
  hiddenSize: 8,
  numLayers: 1,
  numHeads: 2,
  innerSize: 16,
  dropout: 0.1,
  attentionDropout: 0.1,
  maxLength: 6,
  numExperts: 2,
  codebookSize: 3,
  diffusionSteps: 8,
  samplingSteps: 2,
  seed: 7,
};

/**
 * Synthetic features for items 1..numItems, N(0, 1) values from `seed`; the items in `missing`
 * lack the modality (mask 0, zero row), as row 0 (padding) does. Named synthetic: not real data.
 */
export function syntheticFeatures(
  modality: string,
  dim: number,
  seed: number,
  missing: readonly number[] = [],
): FeatureMatrix {
  const rng = createRng(seed);
  const values = new Float32Array((SYNTHETIC_ITEMS + 1) * dim);
  const mask = new Uint8Array(SYNTHETIC_ITEMS + 1);
  for (let item = 1; item <= SYNTHETIC_ITEMS; item++) {
    if (missing.includes(item)) continue;
    mask[item] = 1;
    for (let axis = 0; axis < dim; axis++) values[item * dim + axis] = rng.normal();
  }
  return { modality, dim, values, mask, source: 'synthetic' };
}

/**
 * A synthetic batch of `size` left-padded rows of `length`: row r walks r + 1, r + 2, … (mod N)
 * with a random amount of padding, and each real position's target is the next item.
 */
export function syntheticBatch(size: number, length: number, seed: number): TrainingBatch {
  const rng = createRng(seed);
  const inputs = new Int32Array(size * length);
  const targets = new Int32Array(size * length);
  let scoredCount = 0;
  for (let row = 0; row < size; row++) {
    const real = 1 + rng.nextInt(length);
    for (let step = 0; step < real; step++) {
      const flat = row * length + (length - real) + step;
      inputs[flat] = ((row + step) % SYNTHETIC_ITEMS) + 1;
      targets[flat] = ((row + step + 1) % SYNTHETIC_ITEMS) + 1;
      scoredCount++;
    }
  }
  return { size, length, inputs, targets, scoredCount };
}

/** Expects `model`'s loss, its gradients and scoreAll of `histories` [size, length] to leave no tensor behind. */
export async function expectModelLeaksNothing(
  model: RecommenderModel,
  histories: Int32Array,
  size: number,
  length: number,
): Promise<void> {
  const batch = syntheticBatch(6, 4, 3);
  await expectNoLeakedTensors(() => model.loss(batch, { seed: 3 }));
  await expectNoLeakedTensors(() =>
    tf.variableGrads(
      () => model.loss(batch, { seed: 4 }),
      model.variables.filter((variable) => variable.trainable),
    ),
  );
  await expectNoLeakedTensors(() => model.scoreAll(histories, size, length));
}
