import type { Tensor, TensorLike } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { TensorAssertionError } from './tensor-assertion-error';

/**
 * Fails unless `actual` and `expected` have the same shape and every pair of elements satisfies
 * |a − e| ≤ tolerance · max(1, |e|): an absolute test for values below 1, a relative one above.
 * `expected` may be a tensor or a (nested) array of hand-computed numbers. NaN never passes.
 */
export function expectTensorsClose(actual: Tensor, expected: Tensor | TensorLike, tolerance = 1e-5): void {
  const reference = expected instanceof tf.Tensor ? expected : tf.tensor(expected);
  try {
    if (!sameShape(actual.shape, reference.shape)) {
      throw new TensorAssertionError(
        `shape mismatch: actual [${actual.shape.join(', ')}], expected [${reference.shape.join(', ')}]`,
      );
    }
    const actualValues = actual.dataSync();
    const expectedValues = reference.dataSync();
    for (let index = 0; index < actualValues.length; index++) {
      const a = Number(actualValues[index]);
      const e = Number(expectedValues[index]);
      if (!(Math.abs(a - e) <= tolerance * Math.max(1, Math.abs(e)))) {
        throw new TensorAssertionError(
          `element ${index} (flat) differs: actual ${a}, expected ${e}, |difference| ${Math.abs(a - e)} > tolerance ${tolerance}`,
        );
      }
    }
  } finally {
    if (reference !== expected) reference.dispose();
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dimension, index) => dimension === b[index]);
}
