import type { GradSaveFunc, Scalar, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkTableScoringInputs } from './table-scoring-inputs';
import { requirePositiveInteger } from './validate';

/** Options of {@link tableSoftmaxCrossEntropy}. */
export interface TableSoftmaxCrossEntropyOptions {
  /**
   * Rows of `hidden` per chunk: bounds memory at chunkSize × table rows floats. Default 512: on
   * wasm, 256–512 ran 10–15 % faster than 1024 at 11,925 table rows (a chunk's softmax and its
   * transpose stay closer to the cache); the value changes only the order of float sums.
   */
  chunkSize?: number;
  /** Leave table row 0 (the padding id) out of the softmax; targets must then be ≥ 1. Default true. */
  skipPaddingRow?: boolean;
}

/**
 * Mean softmax cross-entropy of `targets` when each row of `hidden` [S, D] scores every row of
 * `table` [R, D] by dot product — the full-softmax loss of a next-item recommender:
 *
 *   loss = (1/S) Σ_s [ log Σ_j exp(h_s·e_j) − h_s·e_{t_s} ]
 *
 * Fused and chunked: one pass per chunk computes the softmax P and, at once, the gradients
 *   ∂/∂h = (P − onehot)·E / S   and   ∂/∂E = (P − onehot)ᵀ·H / S,
 * which are kept for the backward pass (they are small) instead of the [S, R] logits. Every
 * product is a flag-free 2-D matmul (wasm's fast path), the one-hot part a gather and a segment
 * sum, and no one-hot matrix is built. Memory stays at a few chunkSize × R buffers however many
 * positions a batch scores. Meant for training: the forward pass always pays for the gradients.
 *
 * ∂/∂E is taken as transpose(P)·H ([R, c]·[c, D]) rather than (Hᵀ·P)ᵀ ([D, c]·[c, R]): on wasm a
 * 2-D product streams its right operand once per few rows of the left one, so the large P must
 * be the left operand; the explicit transpose of P costs less than that re-reading
 * (apps/bench/scripts/bench-table-softmax-cross-entropy.mjs measures both).
 */
export function tableSoftmaxCrossEntropy(
  hidden: Tensor2D,
  table: Tensor2D,
  targets: Int32Array,
  options: TableSoftmaxCrossEntropyOptions = {},
): Scalar {
  const chunkSize = requirePositiveInteger('chunkSize', options.chunkSize ?? 512);
  const first = (options.skipPaddingRow ?? true) ? 1 : 0;
  const { positions, dim, rows } = checkTableScoringInputs(hidden, table, targets, first);
  const chunks: [number, number][] = [];
  for (let start = 0; start < positions; start += chunkSize)
    chunks.push([start, Math.min(chunkSize, positions - start)]);

  const loss = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [h, e, save] = args as [Tensor2D, Tensor2D, GradSaveFunc];
    // The loss is only ever taken to be differentiated, so its gradients are computed here, in the
    // same pass as the softmax, and kept: ∂h is [S, D] and ∂E is [R, D], both small, whereas
    // recomputing the [c, R′] logits and softmax in the backward pass would double the work.
    const [value, hiddenGradient, tableGradient] = tf.tidy(() => {
      const targetTensor = tf.tensor1d(targets, 'int32');
      const items = tf.slice(e, [first, 0], [rows - first, dim]) as Tensor2D; // [R′, D]
      const itemsTransposed = tf.transpose(items) as Tensor2D; // [D, R′]
      let lossSum: Tensor = tf.scalar(0);
      let itemsGradient: Tensor = tf.zeros([rows - first, dim]); // Σ_c Pᵀ·H: [R′, D]
      const hiddenGradients: Tensor[] = [];
      for (const [start, size] of chunks) {
        const [chunkLoss, chunkHiddenGradient, nextItemsGradient] = tf.tidy(() => {
          const hChunk = tf.slice(h, [start, 0], [size, dim]) as Tensor2D;
          const probabilities = tf.softmax(tf.matMul(hChunk, itemsTransposed)) as Tensor2D; // [c, R′]
          const targetIndex = tf.tensor2d(
            Array.from({ length: size }, (_, row) => [row, targets[start + row]! - first]),
            [size, 2],
            'int32',
          );
          // −log P_t, floored at P_t = 1e-30 (69 nats) so a hopeless row cannot make the loss infinite.
          const targetProbabilities = tf.maximum(tf.gatherND(probabilities, targetIndex), 1e-30);
          return [
            tf.add(lossSum, tf.neg(tf.sum(tf.log(targetProbabilities)))),
            tf.matMul(probabilities, items), // P·E: [c, D]
            tf.add(itemsGradient, tf.matMul(tf.transpose(probabilities) as Tensor2D, hChunk)), // Pᵀ·H: [R′, D]
          ] as const;
        });
        lossSum.dispose();
        itemsGradient.dispose();
        lossSum = chunkLoss;
        itemsGradient = nextItemsGradient;
        hiddenGradients.push(chunkHiddenGradient);
      }
      // The one-hot part of (P − onehot): −e_t for each row of h, −h summed into each target row of E.
      const hGradient = tf.div(tf.sub(tf.concat(hiddenGradients, 0), tf.gather(e, targetTensor)), positions);
      const padded = first === 0 ? itemsGradient : tf.concat([tf.zeros([first, dim]), itemsGradient], 0); // [R, D]
      const oneHotPart = tf.unsortedSegmentSum(h, targetTensor as Tensor1D, rows); // [R, D]
      return [tf.div(lossSum, positions) as Scalar, hGradient, tf.div(tf.sub(padded, oneHotPart), positions)] as const;
    });
    save([hiddenGradient, tableGradient]);
    hiddenGradient.dispose();
    tableGradient.dispose();
    return {
      value,
      gradFunc: (dy: Tensor, saved: Tensor[]) => saved.map((gradient) => tf.mul(gradient, dy)),
    };
  });
  return loss(hidden, table) as Scalar;
}
