import type { Rng } from '@imecd/core';
import {
  createChildModules,
  createDense,
  createTransformerEncoder,
  disposeVariables,
  drawSeed,
  type Initializer,
  variablesOf,
} from '@imecd/nn';
import type { Tensor3D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { DenoiserBackbone } from './denoiser';

/** Options of {@link createTransformerBackbone}, already validated by the denoiser. */
export interface TransformerBackboneOptions {
  dataSize: number;
  conditionSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  dropout: number;
  initializer: Initializer;
  name: string;
}

/** Tokens: the condition, the step and the noisy sample; x̂_0 is read off the last one. */
const NUM_TOKENS = 3;

/**
 * c and x_t are projected to H and, with τ(t), form the sequence [c, τ(t), x_t] of a pre-LN
 * Transformer (inner size 4H, learned positions); the state of the x_t token, which the causal
 * mask lets see all three, maps to D. Variables `<name>/{condition,noisy}_projection`,
 * `<name>/transformer/…`, `<name>/output`.
 */
export function createTransformerBackbone(options: TransformerBackboneOptions, rng: Rng): DenoiserBackbone {
  const { dataSize, conditionSize, hiddenSize, initializer, name } = options;
  const dense = (suffix: string, inputSize: number, outputSize: number) => () =>
    createDense({ inputSize, outputSize, name: `${name}/${suffix}`, seed: drawSeed(rng), initializer });
  const parts = createChildModules({
    conditionProjection: dense('condition_projection', conditionSize, hiddenSize),
    noisyProjection: dense('noisy_projection', dataSize, hiddenSize),
    transformer: () =>
      createTransformerEncoder({
        hiddenSize,
        numLayers: options.numLayers,
        numHeads: options.numHeads,
        innerSize: 4 * hiddenSize,
        dropout: options.dropout,
        attentionDropout: options.dropout,
        maxLength: NUM_TOKENS,
        normFirst: true,
        name: `${name}/transformer`,
        seed: drawSeed(rng),
        initializer,
      }),
    output: dense('output', hiddenSize, dataSize),
  });
  const variables = variablesOf(parts);

  return {
    variables,
    dispose: () => disposeVariables(variables),
    apply(input, time) {
      const batch = input.noisy.shape[0];
      return tf.tidy(() => {
        const tokens = tf.stack(
          [parts.conditionProjection.apply(input.condition), time, parts.noisyProjection.apply(input.noisy)],
          1,
        ) as Tensor3D; // [B, 3, H]
        const states = parts.transformer.apply(tokens, tf.ones([batch, NUM_TOKENS]), { training: input.training }); // [B, 3, H]
        return parts.output.apply(parts.transformer.lastState(states)); // [B, D]
      });
    },
  };
}
