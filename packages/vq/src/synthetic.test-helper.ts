// Test-only helpers (not exported, not built): seeded synthetic data, so every test is reproducible.

import { createRng, type Rng } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import type { VectorQuantizerOutput } from './quantize-levels';

/** A float32 tensor of standard-normal values times `scale`, from `seed`. */
export function syntheticTensor(shape: number[], seed: number, scale = 1): tf.Tensor {
  const rng = createRng(seed);
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => rng.normal() * scale),
    shape,
    'float32',
  );
}

/** A synthetic mixture of isotropic Gaussians: `count` centres at ±`separation` on random axes, all shifted by `offset`. */
export interface SyntheticMixture {
  centres: number[][];
  /** `size` points [size, d] drawn round-robin from the centres with standard deviation `spread`. */
  sample(size: number, rng: Rng): tf.Tensor2D;
}

export function syntheticMixture(options: {
  count: number;
  dimension: number;
  separation: number;
  spread: number;
  offset: number;
  seed: number;
}): SyntheticMixture {
  const { count, dimension, separation, spread, offset, seed } = options;
  const rng = createRng(seed);
  const centres = Array.from({ length: count }, () =>
    Array.from({ length: dimension }, () => offset + (rng.next() < 0.5 ? -separation : separation)),
  );
  return {
    centres,
    sample(size, drawRng) {
      const values = new Float32Array(size * dimension);
      for (let row = 0; row < size; row++) {
        const centre = centres[row % count]!;
        for (let axis = 0; axis < dimension; axis++)
          values[row * dimension + axis] = centre[axis]! + spread * drawRng.normal();
      }
      return tf.tensor2d(values, [size, dimension]);
    },
  };
}

/** One tensor of a quantizer output; the others are disposed (for gradient checks that call it many times). */
export function keepOnly<K extends 'quantized' | 'loss' | 'codebookLoss' | 'commitmentLoss'>(
  output: VectorQuantizerOutput,
  key: K,
): VectorQuantizerOutput[K] {
  const kept = output[key];
  tf.dispose(
    [output.quantized, output.indices, output.loss, output.codebookLoss, output.commitmentLoss].filter(
      (tensor) => tensor !== kept,
    ),
  );
  for (const level of output.levels)
    tf.dispose([level.indices, level.codebookLoss, level.commitmentLoss].filter((tensor) => tensor !== kept));
  return kept;
}
