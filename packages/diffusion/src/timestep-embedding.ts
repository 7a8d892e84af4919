import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { requirePositiveNumber } from '@imecd/nn';
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The Transformer's sinusoidal embedding of integer timesteps, as DDPM uses it: `timesteps` [B]
 * → [B, size] = [cos(t·f_0) … cos(t·f_{h−1}), sin(t·f_0) … sin(t·f_{h−1})] with h = ⌊size / 2⌋
 * and f_i = maxPeriod^(−i / h); an odd size gets one trailing zero column. Cosines first, as in
 * improved-diffusion and DiffuRec. Frequencies span periods 2π … 2π·maxPeriod.
 */
export function sinusoidalTimestepEmbedding(timesteps: Tensor1D, size: number, maxPeriod = 10000): Tensor2D {
  if (timesteps.rank !== 1) throw new ShapeMismatchError('timesteps', '[B]', timesteps.shape);
  if (!Number.isInteger(size) || size < 2)
    throw new InvalidArgumentError('size', `expected an integer ≥ 2, got ${size}`);
  requirePositiveNumber('maxPeriod', maxPeriod);
  const half = Math.floor(size / 2);
  const frequencies = Float32Array.from({ length: half }, (_, index) =>
    Math.exp((-Math.log(maxPeriod) * index) / half),
  );
  const batch = timesteps.shape[0];
  return tf.tidy(() => {
    const angles = tf.mul(tf.reshape(tf.cast(timesteps, 'float32'), [batch, 1]), tf.tensor2d(frequencies, [1, half])); // [B, h]
    const parts = [tf.cos(angles), tf.sin(angles)];
    if (size % 2 === 1) parts.push(tf.zeros([batch, 1]));
    return tf.concat(parts, 1) as Tensor2D; // [B, size]
  });
}
