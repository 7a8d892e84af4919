import { createRng } from '@imecd/core';
import type { Tensor, Tensor3D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { createDense } from './dense';
import { dropout } from './dropout';
import { gelu } from './gelu';
import type { Initializer } from './initializer';
import { createLayerNorm } from './layer-norm';
import { createChildModules, disposeVariables, type Module, variablesOf } from './module';
import { createMultiHeadSelfAttention, type MultiHeadSelfAttention } from './multi-head-self-attention';
import { createSeededRng, drawSeed } from './seed';

/** Options of {@link createTransformerLayer}; the encoder validates them before passing them on. */
export interface TransformerLayerOptions {
  hiddenSize: number;
  numHeads: number;
  innerSize: number;
  dropout: number;
  attentionDropout: number;
  layerNormEpsilon: number;
  normFirst: boolean;
  name: string;
  seed: number;
  initializer: Initializer;
}

/** One Transformer block: self-attention and a GELU feed-forward, each with dropout, residual and LayerNorm. */
export interface TransformerLayer extends Module {
  /**
   * [B, L, D] → [B, L, D]; `attentionBias` as in {@link MultiHeadSelfAttention.apply}. With
   * `lastQueryOnly`, only position L − 1 is computed → [B, 1, D] (the same values as row L − 1 of
   * the full output).
   */
  apply(
    x: Tensor3D,
    attentionBias: Tensor,
    options: { training: boolean; seed?: number; lastQueryOnly?: boolean },
  ): Tensor3D;
}

/**
 * Builds one block with variables under `<name>/attention/…`, `<name>/attention_norm/…`,
 * `<name>/feed_forward/{inner,output}/…` and `<name>/feed_forward_norm/…`. Internal to the
 * encoder, which validates the options once for all layers.
 */
export function createTransformerLayer(options: TransformerLayerOptions): TransformerLayer {
  const { hiddenSize, innerSize, name, initializer, normFirst } = options;
  const rng = createSeededRng(options.seed);
  const epsilon = options.layerNormEpsilon;
  const children = createChildModules({
    attention: () =>
      createMultiHeadSelfAttention({
        hiddenSize,
        numHeads: options.numHeads,
        attentionDropout: options.attentionDropout,
        name: `${name}/attention`,
        seed: drawSeed(rng),
        initializer,
      }),
    attentionNorm: () => createLayerNorm({ size: hiddenSize, epsilon, name: `${name}/attention_norm` }),
    inner: () =>
      createDense({
        inputSize: hiddenSize,
        outputSize: innerSize,
        name: `${name}/feed_forward/inner`,
        seed: drawSeed(rng),
        initializer,
      }),
    outer: () =>
      createDense({
        inputSize: innerSize,
        outputSize: hiddenSize,
        name: `${name}/feed_forward/output`,
        seed: drawSeed(rng),
        initializer,
      }),
    feedForwardNorm: () => createLayerNorm({ size: hiddenSize, epsilon, name: `${name}/feed_forward_norm` }),
  });
  const { attention, attentionNorm, inner, outer, feedForwardNorm } = children;
  const variables = variablesOf(children);

  return {
    variables,
    dispose: () => disposeVariables(variables),
    apply(x, attentionBias, { training, seed, lastQueryOnly = false }) {
      const maskRng = seed === undefined ? rng : createRng(seed);
      const attentionSeed = training && seed !== undefined ? { seed: drawSeed(maskRng) } : {};
      const hiddenDropout = (h: Tensor3D): Tensor3D =>
        training ? dropout(h, options.dropout, { training, seed: drawSeed(maskRng) }) : h;
      const feedForward = (h: Tensor3D): Tensor3D => outer.apply(gelu(inner.apply(h))); // D → inner → D
      return tf.tidy(() => {
        const [batch, length, width] = x.shape;
        // The residual stream at the positions computed: all of them, or the last one [B, 1, D].
        const residual = lastQueryOnly ? tf.slice(x, [0, length - 1, 0], [batch, 1, width]) : x;
        const attend = (h: Tensor3D) =>
          attention.apply(h, attentionBias, { training, lastQueryOnly, ...attentionSeed });
        if (normFirst) {
          const attended = tf.add(residual, hiddenDropout(attend(attentionNorm.apply(x)))) as Tensor3D;
          return tf.add(attended, hiddenDropout(feedForward(feedForwardNorm.apply(attended)))) as Tensor3D;
        }
        const attended = attentionNorm.apply(tf.add(residual, hiddenDropout(attend(x))) as Tensor3D);
        return feedForwardNorm.apply(tf.add(attended, hiddenDropout(feedForward(attended))) as Tensor3D);
      });
    },
  };
}
