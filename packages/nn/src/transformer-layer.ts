import { createRng } from '@imecd/core';
import type { Tensor, Tensor3D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { createDense } from './dense';
import { dropout } from './dropout';
import { gelu } from './gelu';
import type { Initializer } from './initializer';
import { createLayerNorm } from './layer-norm';
import { createChildModules, disposeVariables, type Module, variablesOf } from './module';
import {
  type AttentionKeysValues,
  createMultiHeadSelfAttention,
  type MultiHeadSelfAttention,
} from './multi-head-self-attention';
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
  /** Inference: the attention's keys and values of the block inputs `x` [B, n, D] (normalised first, pre-LN). */
  keysAndValues(x: Tensor3D): AttentionKeysValues;
  /**
   * Inference, one more position: the block's output [B, 1, D] for the input `last` [B, 1, D] at
   * position n, attending over `earlier` ({@link keysAndValues} of the block inputs at 0 … n − 1)
   * and itself; `lastQueryBias` broadcastable to [B, H, 1, n + 1]. The values of
   * `apply(x, bias, { training: false, lastQueryOnly: true })` on all n + 1 inputs.
   */
  applyLastCached(last: Tensor3D, earlier: AttentionKeysValues, lastQueryBias: Tensor): Tensor3D;
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

  const feedForward = (h: Tensor3D): Tensor3D => outer.apply(gelu(inner.apply(h))); // D → inner → D
  /** Residuals, norms and feed-forward around an attention output `attended` [B, Q, D] of the positions `residual` [B, Q, D]. */
  const finish = (residual: Tensor3D, attended: Tensor3D, hiddenDropout: (h: Tensor3D) => Tensor3D): Tensor3D => {
    if (normFirst) {
      const mixed = tf.add(residual, hiddenDropout(attended)) as Tensor3D;
      return tf.add(mixed, hiddenDropout(feedForward(feedForwardNorm.apply(mixed)))) as Tensor3D;
    }
    const mixed = attentionNorm.apply(tf.add(residual, hiddenDropout(attended)) as Tensor3D);
    return feedForwardNorm.apply(tf.add(mixed, hiddenDropout(feedForward(mixed))) as Tensor3D);
  };
  const noDropout = (h: Tensor3D) => h;

  return {
    variables,
    dispose: () => disposeVariables(variables),
    apply(x, attentionBias, { training, seed, lastQueryOnly = false }) {
      const maskRng = seed === undefined ? rng : createRng(seed);
      const attentionSeed = training && seed !== undefined ? { seed: drawSeed(maskRng) } : {};
      const hiddenDropout = (h: Tensor3D): Tensor3D =>
        training ? dropout(h, options.dropout, { training, seed: drawSeed(maskRng) }) : h;
      return tf.tidy(() => {
        const [batch, length, width] = x.shape;
        // The residual stream at the positions computed: all of them, or the last one [B, 1, D].
        const residual = lastQueryOnly ? tf.slice(x, [0, length - 1, 0], [batch, 1, width]) : x;
        const attended = attention.apply(normFirst ? attentionNorm.apply(x) : x, attentionBias, {
          training,
          lastQueryOnly,
          ...attentionSeed,
        });
        return finish(residual, attended, hiddenDropout);
      });
    },
    keysAndValues(x) {
      return tf.tidy(() => attention.keysAndValues(normFirst ? attentionNorm.apply(x) : x));
    },
    applyLastCached(last, earlier, lastQueryBias) {
      return tf.tidy(() => {
        const attended = attention.applyLastCached(
          normFirst ? attentionNorm.apply(last) : last,
          earlier,
          lastQueryBias,
        ); // [B, 1, D]
        return finish(last, attended, noDropout);
      });
    },
  };
}
