import type { Rng } from '@imecd/core';
import {
  createChildModules,
  createDense,
  disposeVariables,
  drawSeed,
  gelu,
  type Initializer,
  type Module,
  variablesOf,
} from '@imecd/nn';
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { sinusoidalTimestepEmbedding } from './timestep-embedding';

/** Options of {@link createTimeNetwork}, already validated by the denoiser. */
export interface TimeNetworkOptions {
  embeddingSize: number;
  hiddenSize: number;
  initializer: Initializer;
  name: string;
}

/** τ(t) = W₂ · GELU(W₁ · sinusoid(t) + b₁) + b₂: learned timestep features of width `hiddenSize`. */
export interface TimeNetwork extends Module {
  /** [B] int32 → [B, hiddenSize]. */
  apply(timesteps: Tensor1D): Tensor2D;
}

/** DreamRec's time MLP; variables `<name>/inner` [E, H] and `<name>/outer` [H, H] with biases. */
export function createTimeNetwork(options: TimeNetworkOptions, rng: Rng): TimeNetwork {
  const { embeddingSize, hiddenSize, initializer, name } = options;
  const layers = createChildModules({
    inner: () =>
      createDense({
        inputSize: embeddingSize,
        outputSize: hiddenSize,
        name: `${name}/inner`,
        seed: drawSeed(rng),
        initializer,
      }),
    outer: () =>
      createDense({
        inputSize: hiddenSize,
        outputSize: hiddenSize,
        name: `${name}/outer`,
        seed: drawSeed(rng),
        initializer,
      }),
  });
  const variables = variablesOf(layers);
  return {
    variables,
    dispose: () => disposeVariables(variables),
    apply: (timesteps) =>
      tf.tidy(() =>
        layers.outer.apply(gelu(layers.inner.apply(sinusoidalTimestepEmbedding(timesteps, embeddingSize)))),
      ),
  };
}
