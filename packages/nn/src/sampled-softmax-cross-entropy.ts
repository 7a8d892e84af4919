import { InvalidArgumentError } from '@imecd/core';
import type { GradSaveFunc, Scalar, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { BLOCKED_SCORE } from './causal-attention-bias';
import { matMul2d } from './mat-mul-2d';
import { checkRowIds, checkTableScoringInputs } from './table-scoring-inputs';

/**
 * Sampled softmax cross-entropy: each row of `hidden` [S, D] is scored against its target's row
 * of `table` [R, D] and against the rows `negatives` [K] (shared by every row of the batch), and
 * the loss is the mean over rows of log Σ exp(candidates) − target score. A negative that equals
 * a row's target is left out of that row (an accidental hit would otherwise push the target
 * against itself).
 *
 * A cheaper stand-in for {@link tableSoftmaxCrossEntropy} while training (S·(K + 1)·D instead of
 * S·R·D multiply-adds; the table's gradient reaches only the sampled rows): with negatives drawn
 * uniformly, every candidate's log-probability correction log Q is the same constant and cancels,
 * so none is applied. With `negatives` = every non-target row once, it equals the full softmax.
 * Evaluation still ranks all items. Plain tfjs ops: differentiable w.r.t. both inputs.
 */
export function sampledTableSoftmaxCrossEntropy(
  hidden: Tensor2D,
  table: Tensor2D,
  targets: Int32Array,
  negatives: Int32Array,
): Scalar {
  const { positions, rows } = checkTableScoringInputs(hidden, table, targets, 0);
  if (negatives.length === 0) throw new InvalidArgumentError('negatives', 'needs at least one negative row');
  checkRowIds('negatives', negatives, 0, rows);
  // [S, K]: BLOCKED_SCORE where negative k is row s's own target, else 0.
  const hits = new Float32Array(positions * negatives.length);
  for (let row = 0; row < positions; row++) {
    for (let k = 0; k < negatives.length; k++)
      if (negatives[k] === targets[row]) hits[row * negatives.length + k] = BLOCKED_SCORE;
  }
  return tf.tidy(() => {
    const targetRows = tf.gather(table, tf.tensor1d(targets, 'int32')) as Tensor2D; // [S, D]
    const positive = tf.sum(tf.mul(hidden, targetRows), 1, true); // [S, 1]
    const negativeRows = tf.gather(table, tf.tensor1d(negatives, 'int32')) as Tensor2D; // [K, D]
    const negative = tf.add(
      matMul2d(hidden, tf.transpose(negativeRows) as Tensor2D),
      tf.tensor2d(hits, [positions, negatives.length]),
    ); // [S, K]
    const logits = tf.concat([positive, negative], 1) as Tensor2D; // [S, 1 + K], the target first
    return targetFirstCrossEntropy(logits);
  });
}

/**
 * Mean over rows of log Σ_j exp(z_j) − z_0 for logits [S, C] whose column 0 is the target, with
 * the gradient (softmax(z) − e_0) / S written out: the autodiff gradient of tf.logSumExp goes
 * through tf.max's, whose Equal kernel cost wasm ~60 % of a training step at S ≈ 2,400, C = 1,025.
 */
const targetFirstCrossEntropy = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
  const [logits, save] = args as [Tensor2D, GradSaveFunc];
  save([logits]);
  const [rows, columns] = logits.shape;
  return {
    value: tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.reshape(tf.slice(logits, [0, 0], [rows, 1]), [rows]))),
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const probabilities = tf.softmax(saved[0]!); // [S, C]
      const target = tf.sub(tf.slice(probabilities, [0, 0], [rows, 1]), 1); // p_0 − 1
      const others = tf.slice(probabilities, [0, 1], [rows, columns - 1]);
      return tf.mul(tf.concat([target, others], 1), tf.div(dy, rows));
    },
  };
}) as (logits: Tensor2D) => Scalar;
