import { ShapeMismatchError } from '@imecd/core';
import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * What a blocked score becomes. Large enough that exp() underflows to exactly 0 next to any real
 * score, small enough to stay finite: a row with every key blocked (a padded query at the left
 * edge) softmaxes to a uniform row instead of NaN.
 */
export const BLOCKED_SCORE = -1e9;

/**
 * The additive attention bias for causal self-attention over left-padded sequences:
 * `paddingMask` [B, L] (1 = real item, 0 = padding) → [B, 1, L, L], where entry (b, ·, i, j) is 0
 * when query i may attend to key j (j ≤ i and j is real) and {@link BLOCKED_SCORE} otherwise.
 * The singleton axis broadcasts over heads.
 */
export function createCausalAttentionBias(paddingMask: Tensor2D): Tensor4D {
  if (paddingMask.rank !== 2) throw new ShapeMismatchError('paddingMask', '[B, L]', paddingMask.shape);
  const [batch, length] = paddingMask.shape;
  const causal = new Float32Array(length * length);
  for (let query = 0; query < length; query++) {
    for (let key = 0; key <= query; key++) causal[query * length + key] = 1;
  }
  return tf.tidy(() => {
    const keys = tf.reshape(tf.cast(paddingMask, 'float32'), [batch, 1, 1, length]); // [B, 1, 1, L]
    const allowed = tf.mul(keys, tf.tensor(causal, [1, 1, length, length], 'float32')); // [B, 1, L, L]
    return tf.mul(tf.sub(1, allowed), BLOCKED_SCORE) as Tensor4D; // 0 where allowed
  });
}
