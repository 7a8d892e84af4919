import { ShapeMismatchError } from '@imecd/core';
import type { Scalar, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkRowIds, checkTableScoringInputs } from './table-scoring-inputs';

/**
 * Binary cross-entropy with one negative per row, SASRec's original objective (Kang & McAuley,
 * ICDM 2018): row s of `hidden` [S, D] scores its target's row of `table` [R, D] as a positive and
 * the row `negatives[s]` as a negative, and the loss is the mean over rows of
 * −log σ(h·e_target) − log(1 − σ(h·e_negative)) = softplus(−z⁺) + softplus(z⁻).
 *
 * Each row sees two items where the softmax losses see many, so it learns a weaker ranking from the
 * same steps; it is here to train baselines as the papers that report them did. Which items may
 * serve as negatives (the original excludes the user's own items) is the caller's choice.
 * Plain tfjs ops: differentiable w.r.t. both inputs.
 */
export function tableBinaryCrossEntropy(
  hidden: Tensor2D,
  table: Tensor2D,
  targets: Int32Array,
  negatives: Int32Array,
): Scalar {
  const { positions, rows } = checkTableScoringInputs(hidden, table, targets, 0);
  if (negatives.length !== positions)
    throw new ShapeMismatchError('negatives', `${positions} entries (one per row of hidden)`, [negatives.length]);
  checkRowIds('negatives', negatives, 0, rows);
  return tf.tidy(() => {
    const score = (ids: Int32Array) =>
      tf.sum(tf.mul(hidden, tf.gather(table, tf.tensor1d(ids, 'int32'))), 1) as tf.Tensor1D; // [S]
    const positive = tf.softplus(tf.neg(score(targets))); // −log σ(z⁺), [S]
    const negative = tf.softplus(score(negatives)); // −log(1 − σ(z⁻)), [S]
    return tf.mean(tf.add(positive, negative));
  });
}
