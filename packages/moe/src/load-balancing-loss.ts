import { ShapeMismatchError } from '@imecd/core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { sameShape } from './same-shape';

/** Options of {@link loadBalancingLoss}. */
export interface LoadBalancingLossOptions {
  /**
   * Which rows count, shaped like the gate weights without their last axis (e.g. [B, L]):
   * 1 = a real row, 0 = padding. Default: every row counts.
   */
  mask?: Tensor;
}

/** Keeps the ratio finite when no row reaches any expert (Shazeer et al. use the same guard). */
const EPSILON = 1e-10;

/**
 * The importance loss of Shazeer et al. (2017): the squared coefficient of variation of the
 * experts' importance, CV² = Var(I) / (Mean(I)² + 1e-10) with I_k = Σ_rows w_k (population
 * variance over the K experts). 0 when every expert carries the same total weight, K − 1 when one
 * expert takes all of it. `gateWeights` [..., K] → a scalar; add λ times it to the training loss
 * to keep the gate from collapsing onto a few experts.
 */
export function loadBalancingLoss(gateWeights: Tensor, options: LoadBalancingLossOptions = {}): Scalar {
  if (gateWeights.rank < 1) throw new ShapeMismatchError('gateWeights', '[..., K]', gateWeights.shape);
  const numExperts = gateWeights.shape.at(-1) ?? 0;
  const { mask } = options;
  const rowShape = gateWeights.shape.slice(0, -1);
  if (mask !== undefined && !sameShape(mask.shape, rowShape)) {
    throw new ShapeMismatchError('mask', `[${rowShape.join(', ')}] (the gate weights' shape without K)`, mask.shape);
  }
  return tf.tidy(() => {
    const rows = tf.reshape(gateWeights, [-1, numExperts]); // [N, K]
    const counted = mask === undefined ? rows : tf.mul(rows, tf.reshape(tf.cast(mask, 'float32'), [-1, 1]));
    const importance = tf.sum(counted, 0); // [K]
    const mean = tf.mean(importance);
    const variance = tf.mean(tf.square(tf.sub(importance, mean)));
    return tf.div(variance, tf.add(tf.square(mean), EPSILON)) as Scalar;
  });
}
