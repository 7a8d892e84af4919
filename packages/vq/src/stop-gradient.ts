import type { GradSaveFunc, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

// tfjs has no stop-gradient op; a custom gradient that returns zeros plays its part. The value
// is a copy that shares the input's storage, so no data is moved.

/** sg[x]: the value of `x`, through which no gradient flows. */
export const stopGradient = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
  const x = args[0] as Tensor;
  return { value: tf.clone(x), gradFunc: (dy: Tensor) => tf.zerosLike(dy) };
}) as <T extends Tensor>(x: T) => T;

/**
 * The straight-through estimator of VQ-VAE: the value is exactly `codes`, the gradient is copied
 * unchanged to `inputs` (as if quantization were the identity) and none goes to `codes`. Written
 * as one custom gradient rather than `inputs + sg[codes − inputs]`, whose float32 value would
 * differ from the codes in the last bits.
 */
export const straightThrough = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
  const [, codes] = args as [Tensor, Tensor];
  return { value: tf.clone(codes), gradFunc: (dy: Tensor) => [tf.clone(dy), tf.zerosLike(codes)] };
}) as <T extends Tensor>(inputs: T, codes: T) => T;
