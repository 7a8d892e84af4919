import { InvalidArgumentError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs-core';
import type { RecommenderModel } from './model-contract';

export interface PopOptions {
  /** Number of items (ids 1..numItems). Required. */
  numItems: number;
  /** Accepted for interface symmetry; Pop ignores the history. Default 50. */
  maxLength?: number;
  /**
   * What popularity counts. 'train' (default): the training part only (items before each user's
   * validation target), so no evaluation target leaks into the scores. 'all': every interaction,
   * test targets included — the convention of S3-Rec's published PopRec row, reproduced only
   * this way; it leaks the test item into its own score and is not a fair baseline.
   */
  countFrom?: 'train' | 'all';
}

/**
 * Pop: every user gets the items ranked by how often they occur in the training sequences (the
 * items before each user's validation target; see `countFrom`). No history, no parameters; ties
 * among equally popular items are settled by the evaluator's tie rule.
 */
export function createPop(options: PopOptions): RecommenderModel {
  const { numItems, maxLength = 50, countFrom = 'train' } = options;
  if (countFrom !== 'train' && countFrom !== 'all') {
    throw new InvalidArgumentError('countFrom', `expected 'train' or 'all', got ${String(countFrom)}`);
  }
  if (!Number.isInteger(numItems) || numItems < 1) {
    throw new InvalidArgumentError('numItems', `expected a positive integer, got ${numItems}`);
  }
  const counts = new Float32Array(numItems + 1);
  let fitted = false;
  return {
    name: 'pop',
    numItems,
    maxLength,
    variables: [],
    config: { numItems, maxLength, countFrom },
    fit({ trainingSequences, fullSequences }) {
      const counted = countFrom === 'all' ? fullSequences : trainingSequences;
      if (counted === undefined)
        throw new InvalidArgumentError('fullSequences', "pop with countFrom 'all' needs every user's full sequence");
      counts.fill(0);
      for (const sequence of counted) for (const item of sequence) counts[item]! += 1;
      counts[0] = -Infinity;
      fitted = true;
    },
    saveFitted() {
      if (!fitted) throw new InvalidArgumentError('model', 'pop must be fitted before it is saved');
      return counts.slice();
    },
    restoreFitted(values) {
      if (values.length !== counts.length)
        throw new InvalidArgumentError(
          'values',
          `expected ${counts.length} counts (numItems + 1), got ${values.length}`,
        );
      counts.set(values);
      fitted = true;
    },
    loss() {
      throw new InvalidArgumentError('model', 'pop has no loss: it is fitted by counting (fit), not by gradients');
    },
    scoreAll(_histories, size) {
      if (!fitted) throw new InvalidArgumentError('model', 'pop must be fitted on training sequences before scoring');
      // Repeated in JavaScript: wasm's Tile kernel is far slower than a typed-array copy.
      const rows = new Float32Array(size * (numItems + 1));
      for (let row = 0; row < size; row++) rows.set(counts, row * (numItems + 1));
      return tf.tensor2d(rows, [size, numItems + 1]);
    },
    dispose() {},
  };
}
