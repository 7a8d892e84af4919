import type { Scalar, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { requireMatrix, requireSameShape } from './tensor-checks';

/**
 * The x_0 reconstruction loss, mean((x̂_0 − x_0)²) over every element of the [B, D] batch
 * (DreamRec's MSE). Differentiable in both arguments.
 */
export function reconstructionLoss(predictedTarget: Tensor2D, target: Tensor2D): Scalar {
  requireMatrix('predictedTarget', predictedTarget);
  requireSameShape('target', target, predictedTarget, 'predictedTarget');
  return tf.tidy(() => tf.mean(tf.square(tf.sub(predictedTarget, target))));
}
