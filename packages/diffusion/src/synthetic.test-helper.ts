// Test-only helpers (not exported, not built): seeded synthetic data so every test is reproducible.

import { createRng } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';

/** A float32 tensor of standard-normal values times `scale`, from `seed`. */
export function syntheticTensor<R extends tf.Rank>(shape: number[], seed: number, scale = 1): tf.Tensor<R> {
  const rng = createRng(seed);
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  const tensor: tf.Tensor = tf.tensor(
    Float32Array.from({ length: size }, () => rng.normal() * scale),
    shape,
    'float32',
  );
  return tensor as tf.Tensor<R>;
}

/** The centres of the synthetic 2-D mixture: one per condition, on the corners of a square. */
export const SYNTHETIC_CENTRES: readonly (readonly [number, number])[] = [
  [1.5, 1.5],
  [-1.5, 1.5],
  [-1.5, -1.5],
  [1.5, -1.5],
];

/**
 * A batch of the synthetic conditional mixture: row i picks cluster k_i uniformly, its condition
 * is the one-hot vector of k_i, and its target is centre k_i plus N(0, spread²) noise.
 */
export function syntheticMixtureBatch(
  batch: number,
  seed: number,
  spread = 0.1,
): { clusters: Int32Array; condition: tf.Tensor2D; target: tf.Tensor2D } {
  const rng = createRng(seed);
  const clusters = Int32Array.from({ length: batch }, () => rng.nextInt(SYNTHETIC_CENTRES.length));
  return {
    clusters,
    condition: oneHotConditions(clusters),
    target: tf.tensor2d(
      Array.from(clusters, (cluster) => SYNTHETIC_CENTRES[cluster]!.map((value) => value + spread * rng.normal())),
      [batch, 2],
    ),
  };
}

/** [B, K] one-hot rows for the cluster ids. */
export function oneHotConditions(clusters: Int32Array): tf.Tensor2D {
  const count = SYNTHETIC_CENTRES.length;
  const values = new Float32Array(clusters.length * count);
  clusters.forEach((cluster, row) => {
    values[row * count + cluster] = 1;
  });
  return tf.tensor2d(values, [clusters.length, count]);
}

/** Index of the centre nearest to each row of [B, 2] points. */
export function nearestCentres(points: Float32Array | number[]): Int32Array {
  const count = points.length / 2;
  return Int32Array.from({ length: count }, (_, row) => {
    const x = Number(points[2 * row]);
    const y = Number(points[2 * row + 1]);
    let best = 0;
    SYNTHETIC_CENTRES.forEach(([cx, cy], index) => {
      const [bx, by] = SYNTHETIC_CENTRES[best]!;
      if ((x - cx) ** 2 + (y - cy) ** 2 < (x - bx) ** 2 + (y - by) ** 2) best = index;
    });
    return best;
  });
}
