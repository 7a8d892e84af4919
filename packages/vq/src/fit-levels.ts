import type { Rng } from '@imecd/core';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { CodebookLevel } from './codebook-level';
import { fitKMeans } from './k-means';
import { normalizeRows } from './normalize-rows';
import type { ResolvedVectorQuantizerOptions } from './vector-quantizer-options';

/**
 * Sets each level's codes to a k-means fit of the rows of `data` [..., d] that count, level by
 * level on what the previous levels leave (the residuals).
 */
export function fitLevelsToRows(
  levels: readonly CodebookLevel[],
  config: ResolvedVectorQuantizerOptions,
  rng: Rng,
  data: Tensor,
  validRows: readonly number[],
): void {
  const { inputSize, codebookSize } = config;
  const cosine = config.distance === 'cosine';
  const values = tf.tidy(() => {
    const rows = tf.reshape(data, [-1, inputSize]) as Tensor2D; // [N, d]
    return cosine ? normalizeRows(rows) : rows;
  });
  const all = values.dataSync() as Float32Array;
  values.dispose();
  const points = new Float32Array(validRows.length * inputSize); // [n, d], becomes the residual level by level
  validRows.forEach((row, index) => {
    points.set(all.subarray(row * inputSize, (row + 1) * inputSize), index * inputSize);
  });
  const iterations = config.initialization === 'kmeans++' ? 0 : config.kmeansIterations;
  for (const level of levels) {
    const { centres, assignments } = fitKMeans(points, {
      dimension: inputSize,
      clusters: codebookSize,
      iterations,
      seed: Math.floor(rng.next() * 2 ** 32),
    });
    if (cosine) normalizeInPlace(centres, inputSize);
    level.setCodes(centres);
    assignments.forEach((centre, point) => {
      for (let axis = 0; axis < inputSize; axis++)
        points[point * inputSize + axis] =
          (points[point * inputSize + axis] ?? 0) - (centres[centre * inputSize + axis] ?? 0);
    });
  }
}

/** L2-normalises each row of a [K·d] row-major buffer in place (cosine codebooks from k-means). */
function normalizeInPlace(rows: Float32Array, size: number): void {
  for (let start = 0; start < rows.length; start += size) {
    let squares = 0;
    for (let axis = 0; axis < size; axis++) squares += (rows[start + axis] ?? 0) ** 2;
    const scale = 1 / Math.sqrt(Math.max(squares, 1e-12));
    for (let axis = 0; axis < size; axis++) rows[start + axis] = (rows[start + axis] ?? 0) * scale;
  }
}
