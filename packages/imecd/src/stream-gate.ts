/**
 * The ID-state stream gate (`streamGate: 'id-state'`, generative reading). Per generation, the ID
 * stream's x̂_0,id decides how much each stream's term counts in the score:
 *
 *   w = M · softmax([x̂_0,id, 1] · G)          G [D + 1, M], zero at the start: every w_m = 1
 *   score(i) = Σ_m w_m · x̂_0,m · r_m(i)
 *
 * The streams' encoders see only their own stream, so without it a history cannot tell its text
 * stream to count for less than its ID stream; the gate lets the ID side guide the modalities per
 * history as the ID-guided experts do per item. It scales the score only, never the generation the
 * reverse process continues from.
 */

import { matMul2d } from '@imecd/nn';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** `generated` [S, M·D] (the ID stream's D columns first) with stream m's columns times w_m. */
export function gateStreams(generated: Tensor2D, gate: Tensor2D, hiddenSize: number): Tensor2D {
  return tf.tidy(() => {
    const [rows, width] = generated.shape;
    const numStreams = width / hiddenSize;
    const idState = tf.slice(generated, [0, 0], [rows, hiddenSize]); // x̂_0,id [S, D]
    const logits = matMul2d(tf.concat([idState, tf.ones([rows, 1])], 1) as Tensor2D, gate); // [S, M]
    const weights = tf.mul(tf.softmax(logits), numStreams); // [S, M]
    const perColumn = tf.reshape(tf.tile(tf.expandDims(weights, 2), [1, 1, hiddenSize]), [rows, width]); // [S, M·D]
    return tf.mul(generated, perColumn) as Tensor2D;
  });
}
