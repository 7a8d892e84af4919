import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { numericGradient } from './numeric-gradient';
import { TensorAssertionError } from './tensor-assertion-error';

/** Options of {@link expectGradientsClose}. */
export interface GradientCheckOptions {
  /** Finite-difference step. Default 1e-2 (float32 values make smaller steps noisy). */
  epsilon?: number;
  /** Relative tolerance r in |analytic − numeric| ≤ a + r·|numeric|. Default 2e-2. */
  tolerance?: number;
  /** Absolute tolerance a, which guards entries near zero where float32 noise dominates. Default 1e-3. */
  absoluteTolerance?: number;
}

/**
 * Checks `tf.grads(f)(xs)` against central differences ({@link numericGradient}) for every input
 * of `f`, as the gradient of `sum(f(...xs))`. Inputs that are `tf.Variable`s may also be read
 * through closures (module weights): they are perturbed in place. Fails on the first element
 * outside |analytic − numeric| ≤ absoluteTolerance + tolerance · |numeric|, naming input and index.
 */
export function expectGradientsClose(
  f: (...xs: Tensor[]) => Tensor,
  xs: readonly Tensor[],
  options: GradientCheckOptions = {},
): void {
  const { epsilon = 1e-2, tolerance = 2e-2, absoluteTolerance = 1e-3 } = options;
  const analytic = tf.grads((...inputs: Tensor[]) => f(...inputs))([...xs]);
  try {
    xs.forEach((x, inputIndex) => {
      const numeric = numericGradient(
        (probe) => f(...xs.map((other, index) => (index === inputIndex ? probe : other))),
        x,
        epsilon,
      );
      const analyticValues = analytic[inputIndex]?.dataSync() ?? new Float32Array();
      const numericValues = Float32Array.from(numeric.dataSync() as Float32Array);
      numeric.dispose();
      for (let index = 0; index < numericValues.length; index++) {
        const a = Number(analyticValues[index]);
        const n = Number(numericValues[index]);
        if (!(Math.abs(a - n) <= absoluteTolerance + tolerance * Math.abs(n))) {
          const label = x instanceof tf.Variable ? `"${x.name}"` : `${inputIndex}`;
          throw new TensorAssertionError(
            `gradient of input ${label}, element ${index} (flat): analytic ${a}, numeric ${n}`,
          );
        }
      }
    });
  } finally {
    tf.dispose(analytic);
  }
}
