import { ShapeMismatchError } from '@imecd/core';
import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * The input check of the layers that act on the last axis (dense, LayerNorm): `x` must have rank
 * ≥ 1 and a last axis of `size`.
 * @throws ShapeMismatchError (argument `argument`) otherwise, expecting `[..., size]`.
 */
export function checkLastAxis(argument: string, x: Tensor, size: number): void {
  if (x.rank < 1 || x.shape.at(-1) !== size) {
    throw new ShapeMismatchError(argument, `[..., ${size}]`, x.shape);
  }
}
