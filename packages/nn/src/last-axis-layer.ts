import { ShapeMismatchError } from '@imecd/core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { disposeVariables, type Module } from './module';

/**
 * The module part shared by the layers that act on the last axis (dense, LayerNorm): `variables`,
 * their `dispose`, and an `apply` that runs `forward` in `tf.tidy`, so its intermediates are freed,
 * once `x` is known to have rank ≥ 1 and a last axis of `size`.
 * `apply` throws ShapeMismatchError (argument `input of <name>`, expecting `[..., size]`) otherwise.
 */
export function lastAxisLayer(
  name: string,
  size: number,
  variables: readonly Variable[],
  forward: (x: Tensor) => Tensor,
): Module & { apply<T extends Tensor>(x: T): T } {
  return {
    variables,
    dispose: () => disposeVariables(variables),
    apply<T extends Tensor>(x: T): T {
      if (x.rank < 1 || x.shape.at(-1) !== size) {
        throw new ShapeMismatchError(`input of ${name}`, `[..., ${size}]`, x.shape);
      }
      return tf.tidy(() => forward(x)) as T;
    },
  };
}
