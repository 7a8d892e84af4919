// Test-only helpers (not exported, not built): seeded synthetic tensors and backend selection.

import { selectBackend } from '@imecd/backend';
import { createRng } from '@imecd/core';
import { expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import type { HotRows } from './hot-rows';
import type { MixtureOfExperts, MixtureOfExpertsApplyOptions } from './mixture-of-experts';

/** A float32 tensor of standard-normal values times `scale`, from `seed`. Synthetic, not real data. */
export function syntheticTensor<R extends tf.Rank>(shape: number[], seed: number, scale = 1): tf.Tensor<R> {
  const rng = createRng(seed);
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  const tensor: tf.Tensor = tf.tensor(
    Float32Array.from({ length: size }, () => rng.normal() * scale),
    shape,
    'float32',
  );
  return tensor as tf.Tensor<R>;
}

/** Tests run on the pure-JS cpu backend with the project's kernels registered. */
export async function useCpuBackend(): Promise<void> {
  await selectBackend({ backend: 'cpu', env: {} });
}

/**
 * Expects `moe` to give the same output, gate weights, load-balancing loss and trainable-weight gradients
 * (of Σ output ⊙ `weights`) on `input` as on `reference`, the same rows in another form.
 */
export function expectSameMixture(
  moe: MixtureOfExperts,
  input: HotRows | { values: tf.Tensor2D } | tf.Tensor2D,
  reference: tf.Tensor2D,
  call: MixtureOfExpertsApplyOptions,
  weights: tf.Tensor,
  tolerance: { values: number; gradients: number },
): void {
  const apply = (x: typeof input) => moe.apply(x as tf.Tensor2D, call);
  const ours = apply(input);
  const theirs = apply(reference);
  expectTensorsClose(ours.output, theirs.output, tolerance.values);
  expectTensorsClose(ours.gateWeights, theirs.gateWeights, 1e-6);
  expectTensorsClose(ours.loadBalancingLoss, theirs.loadBalancingLoss, 1e-6);
  const trainable = moe.variables.filter((variable) => variable.trainable);
  const gradientsOf = (x: typeof input) =>
    tf.variableGrads(() => tf.sum(tf.mul(apply(x).output, weights)) as tf.Scalar, trainable).grads;
  const ourGradients = gradientsOf(input);
  for (const [name, gradient] of Object.entries(gradientsOf(reference)))
    expectTensorsClose(ourGradients[name]!, gradient, tolerance.gradients);
}

/** Plain numbers of a tensor, for hand-written expectations. */
export function values(tensor: tf.Tensor): number[] {
  return Array.from(tensor.dataSync());
}
