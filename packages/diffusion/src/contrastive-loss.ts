import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { BLOCKED_SCORE, matMul2d, requireOneOf, requirePositiveNumber } from '@imecd/nn';
import type { Scalar, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { requireMatrix, requireSameShape } from './tensor-checks';

/** How a prediction and a target are compared: cosine of the angle, or the raw dot product. */
export type ContrastiveSimilarity = 'cosine' | 'dot';

export const CONTRASTIVE_SIMILARITIES: readonly ContrastiveSimilarity[] = Object.freeze(['cosine', 'dot']);

/** What row i is contrasted against besides its own target: the other rows' targets, or their predictions. */
export type ContrastiveNegatives = 'targets' | 'predictions';

export const CONTRASTIVE_NEGATIVES: readonly ContrastiveNegatives[] = Object.freeze(['targets', 'predictions']);

/** Options of {@link contrastiveLoss}. */
export interface ContrastiveLossOptions {
  /** Temperature τ that divides every similarity. Default 0.1. */
  temperature?: number;
  /** `'cosine'` (SimCLR-style, unit-length rows) or `'dot'` (the score a recommender ranks items by). Default `'cosine'`. */
  similarity?: ContrastiveSimilarity;
  /**
   * One id per row (e.g. the target item id). Rows j ≠ i with the same id as row i are left out of
   * row i's negatives. Default: rows whose target vectors are exactly equal share a target; that
   * test reads the targets back from the backend, which passing ids avoids.
   */
  targetIds?: ArrayLike<number>;
  /**
   * One 0/1 flag per row: 0 leaves row i's own term out of the mean, while its target still
   * serves as a negative for the other rows. Default: every row counts.
   */
  anchorMask?: ArrayLike<number>;
  /**
   * `'targets'`: the other rows' targets x_j are row i's negatives (in-batch InfoNCE).
   * `'predictions'`: the other rows' predictions x̂_j are (DiQDiff's term against generation bias:
   * generations of different users are pushed apart, so they cannot all collapse onto the same
   * popular items). Rows that share row i's target are left out either way. Default `'targets'`.
   */
  negatives?: ContrastiveNegatives;
}

/** Added to the logit of a pair that shares a target, so that exp() makes it exactly 0. */
const MASKED_LOGIT = BLOCKED_SCORE;

/** Small enough to leave any real norm unchanged in float32, large enough to keep 1/‖0‖ finite. */
const NORM_EPSILON = 1e-12;

/**
 * InfoNCE with in-batch negatives between predictions x̂_0 [B, D] and targets x_0 [B, D]:
 * ℓ_i = −log( exp(s(x̂_i, x_i)/τ) / Σ_{j ∈ N(i)} exp(s(x̂_i, x_j)/τ) ), averaged over the anchor
 * rows (all by default), where N(i) holds i itself and every j whose target differs from row i's. Row i's own target is the
 * positive and the other rows' targets are the negatives; with `negatives: 'predictions'` the
 * negatives are s(x̂_i, x̂_j) instead. Differentiable in both arguments.
 */
export function contrastiveLoss(
  predictedTarget: Tensor2D,
  target: Tensor2D,
  options: ContrastiveLossOptions = {},
): Scalar {
  requireMatrix('predictedTarget', predictedTarget);
  requireSameShape('target', target, predictedTarget, 'predictedTarget');
  const temperature = requirePositiveNumber('temperature', options.temperature ?? 0.1);
  const similarity = requireOneOf('similarity', options.similarity ?? 'cosine', CONTRASTIVE_SIMILARITIES);
  const negatives = requireOneOf('negatives', options.negatives ?? 'targets', CONTRASTIVE_NEGATIVES);
  const batch = predictedTarget.shape[0];
  const anchors = requireAnchorMask(options.anchorMask, batch);
  const sharedTarget = options.targetIds === undefined ? equalRows(target) : equalIds(options.targetIds, batch);
  const mask = new Float32Array(batch * batch);
  for (let row = 0; row < batch; row++) {
    for (let column = 0; column < batch; column++) {
      if (row !== column && sharedTarget(row, column)) mask[row * batch + column] = MASKED_LOGIT;
    }
  }
  return tf.tidy(() => {
    const [queries, candidates] =
      similarity === 'cosine' ? [unitRows(predictedTarget), unitRows(target)] : [predictedTarget, target];
    let similarities = matMul2d(queries, tf.transpose(candidates)); // [B, B]: row i, column j = s(x̂_i, x_j)
    if (negatives === 'predictions') {
      // Off the diagonal s(x̂_i, x̂_j); on it the positive s(x̂_i, x_i), read from the first product.
      const diagonal = tf.eye(batch);
      const amongPredictions = matMul2d(queries, tf.transpose(queries)); // [B, B]
      similarities = tf.add(tf.mul(amongPredictions, tf.sub(1, diagonal)), tf.mul(similarities, diagonal));
    }
    const logits = tf.add(tf.div(similarities, temperature), tf.tensor2d(mask, [batch, batch]));
    const positives = tf.sum(tf.mul(tf.logSoftmax(logits), tf.eye(batch)), 1); // [B]: log p(i | i)
    if (anchors === undefined) return tf.neg(tf.mean(positives)) as Scalar;
    const count = anchors.reduce((sum, flag) => sum + flag, 0);
    // No anchor left (every row masked): nothing to contrast, and 0 keeps the total loss finite.
    if (count === 0) return tf.mul(tf.sum(positives), 0) as Scalar;
    return tf.div(tf.neg(tf.sum(tf.mul(positives, tf.tensor1d(anchors)))), count) as Scalar;
  });
}

function requireAnchorMask(anchorMask: ArrayLike<number> | undefined, batch: number): Float32Array | undefined {
  if (anchorMask === undefined) return undefined;
  if (anchorMask.length !== batch)
    throw new ShapeMismatchError('anchorMask', `[${batch}] (one per row)`, [anchorMask.length]);
  const flags = Float32Array.from(anchorMask);
  flags.forEach((flag, row) => {
    if (flag !== 0 && flag !== 1)
      throw new InvalidArgumentError('anchorMask', `entries must be 0 or 1, got ${flag} at row ${row}`);
  });
  return flags;
}

function unitRows(matrix: Tensor2D): Tensor2D {
  return tf.mul(matrix, tf.rsqrt(tf.add(tf.sum(tf.square(matrix), 1, true), NORM_EPSILON)));
}

function equalIds(targetIds: ArrayLike<number>, batch: number): (row: number, column: number) => boolean {
  if (targetIds.length !== batch)
    throw new ShapeMismatchError('targetIds', `[${batch}] (one per row)`, [targetIds.length]);
  return (row, column) => targetIds[row] === targetIds[column];
}

function equalRows(target: Tensor2D): (row: number, column: number) => boolean {
  const size = target.shape[1];
  const values = target.dataSync();
  return (row, column) => {
    for (let index = 0; index < size; index++)
      if (values[row * size + index] !== values[column * size + index]) return false;
    return true;
  };
}
