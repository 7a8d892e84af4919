import { ShapeMismatchError } from '@imecd/core';
import type { Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The state of the most recent item of each left-padded sequence: `states` [B, L, D] → [B, D],
 * position L − 1. With left padding that is the last real item of every row, so no lengths are needed.
 */
export function lastState(states: Tensor3D): Tensor2D {
  if (states.rank !== 3 || states.shape[1] < 1) throw new ShapeMismatchError('states', '[B, L ≥ 1, D]', states.shape);
  const [batch, length, hidden] = states.shape;
  return tf.tidy(() => tf.reshape(tf.slice(states, [0, length - 1, 0], [batch, 1, hidden]), [batch, hidden])); // [B, D]
}
