import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';

// Shape checks shared by the public functions, so every mismatch names the argument and both shapes.

/** `tensor` must be a float32 [rows, columns] matrix; undefined leaves that size free. */
export function requireMatrix(argument: string, tensor: Tensor, rows?: number, columns?: number): Tensor2D {
  const expected = `[${rows ?? 'B'}, ${columns ?? 'D'}]`;
  if (tensor.rank !== 2) throw new ShapeMismatchError(argument, expected, tensor.shape);
  if ((rows !== undefined && tensor.shape[0] !== rows) || (columns !== undefined && tensor.shape[1] !== columns)) {
    throw new ShapeMismatchError(argument, expected, tensor.shape);
  }
  if (tensor.dtype !== 'float32')
    throw new InvalidArgumentError(argument, `expected a float32 tensor, got ${tensor.dtype}`);
  return tensor as Tensor2D;
}

/** `tensor` must have exactly the shape of `reference` (named `referenceName` in the message). */
export function requireSameShape(argument: string, tensor: Tensor, reference: Tensor, referenceName: string): void {
  if (tensor.rank !== reference.rank || tensor.shape.some((size, axis) => size !== reference.shape[axis])) {
    throw new ShapeMismatchError(argument, `[${reference.shape.join(', ')}] like ${referenceName}`, tensor.shape);
  }
}

/** Timesteps given on the host: `batch` integers in [0, numSteps), copied to an Int32Array. */
export function requireTimesteps(
  argument: string,
  timesteps: ArrayLike<number>,
  batch: number,
  numSteps: number,
): Int32Array {
  if (timesteps.length !== batch)
    throw new ShapeMismatchError(argument, `[${batch}] (one per row)`, [timesteps.length]);
  const checked = new Int32Array(batch);
  for (let row = 0; row < batch; row++) {
    const step = timesteps[row];
    if (step === undefined || !Number.isInteger(step) || step < 0 || step >= numSteps) {
      throw new InvalidArgumentError(argument, `entry ${row} must be an integer step in [0, ${numSteps}), got ${step}`);
    }
    checked[row] = step;
  }
  return checked;
}
