import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectGradientsClose } from './expect-gradients-close';
import { TensorAssertionError } from './tensor-assertion-error';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** x² with a registered gradient that is off by `factor`: a planted bug for the checker to find. */
function squareWithGradientTimes(factor: number) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    return { value: tf.square(x), gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.mul(x, 2 * factor)) };
  }) as (x: tf.Tensor) => tf.Tensor;
}

describe('expectGradientsClose', () => {
  it('passes a correct gradient', () => {
    expect(() =>
      expectGradientsClose((x) => squareWithGradientTimes(1)(x!), [tf.tensor1d([0.5, -1.5, 2])]),
    ).not.toThrow();
  });

  it('fails a gradient that is 5% off, naming input and element', () => {
    expect(() =>
      expectGradientsClose(
        (a, b) => tf.add(tf.sum(a!), tf.sum(squareWithGradientTimes(1.05)(b!))),
        [tf.tensor1d([1]), tf.tensor1d([0.5, -1.5, 2])],
      ),
    ).toThrow(/gradient of input 1, element 0/);
  });

  it('names a variable input by its name', () => {
    const weight = tf.variable(tf.tensor1d([1, 2]), true, 'checker/weight');
    expect(() => expectGradientsClose(() => squareWithGradientTimes(2)(weight), [weight])).toThrow(
      TensorAssertionError,
    );
    expect(() => expectGradientsClose(() => squareWithGradientTimes(2)(weight), [weight])).toThrow(/"checker\/weight"/);
    weight.dispose();
  });

  it('respects the tolerances it is given', () => {
    const check = (tolerance: number) => () =>
      expectGradientsClose((x) => squareWithGradientTimes(1.05)(x!), [tf.tensor1d([1, 2])], {
        tolerance,
        absoluteTolerance: 0,
      });
    expect(check(0.02)).toThrow(TensorAssertionError);
    expect(check(0.06)).not.toThrow();
  });
});
