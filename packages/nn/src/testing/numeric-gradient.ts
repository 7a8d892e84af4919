import { InvalidArgumentError } from '@imecd/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Central-difference gradient of `sum(f(x))` with respect to `x` (float32): for each element,
 * (f(x + ε·eᵢ) − f(x − ε·eᵢ)) / (x⁺ − x⁻). The sum, the difference and the division run in
 * float64, and the step is the distance between the two perturbed float32 values actually fed to
 * `f`, so rounding of x ± ε adds no error. If `x` is a `tf.Variable` it is perturbed in place and
 * restored afterwards, so `f` may read it through a closure (how module weights are checked);
 * otherwise `f` receives a perturbed copy. Returns a float32 tensor shaped like `x`.
 * Costs 2 · x.size evaluations of `f`: tiny shapes only.
 */
export function numericGradient(f: (x: Tensor) => Tensor, x: Tensor, epsilon = 1e-3): Tensor {
  if (x.dtype !== 'float32') throw new InvalidArgumentError('x', `expected a float32 tensor, got ${x.dtype}`);
  if (!Number.isFinite(epsilon) || epsilon <= 0)
    throw new InvalidArgumentError('epsilon', `expected a positive number, got ${epsilon}`);
  const original = Float32Array.from(x.dataSync() as Float32Array);
  const probe = Float32Array.from(original);
  const variable = x instanceof tf.Variable ? x : undefined;
  const evaluate = (): number =>
    tf.tidy(() => {
      const input = tf.tensor(probe.slice(), x.shape, 'float32');
      variable?.assign(input);
      let total = 0;
      for (const value of f(variable ?? input).dataSync()) total += value;
      return total;
    });

  const gradient = new Float32Array(original.length);
  try {
    for (let index = 0; index < original.length; index++) {
      const center = original[index] ?? 0;
      const plus = Math.fround(center + epsilon);
      const minus = Math.fround(center - epsilon);
      probe[index] = plus;
      const valuePlus = evaluate();
      probe[index] = minus;
      const valueMinus = evaluate();
      probe[index] = center;
      gradient[index] = (valuePlus - valueMinus) / (plus - minus);
    }
  } finally {
    if (variable !== undefined) tf.tidy(() => variable.assign(tf.tensor(original, x.shape, 'float32')));
  }
  return tf.tensor(gradient, x.shape, 'float32');
}
