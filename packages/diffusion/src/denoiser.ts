import type { Module } from '@imecd/nn';
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';

/** What a denoiser sees at one step. */
export interface DenoiserInput {
  /** x_t [B, D], the noisy sample. */
  noisy: Tensor2D;
  /** c [B, C], the condition (e.g. a sequence representation); a dropped condition arrives as the learned null vector. */
  condition: Tensor2D;
  /** t [B], int32 steps in [0, T). */
  timesteps: Tensor1D;
  /** Apply dropout. */
  training: boolean;
}

/**
 * Any function that predicts the clean sample x̂_0 [B, D] from {@link DenoiserInput}; the
 * diffusion needs nothing else. Its weights are the caller's to list, train and save.
 */
export type DenoiserFunction = (input: DenoiserInput) => Tensor2D;

/** A denoiser that owns its variables: what {@link createConditionalDenoiser} returns, or your own. */
export interface DenoiserModule extends Module {
  apply: DenoiserFunction;
}

/** Internal: the network after the time embedding, `[x_t, c, τ(t)] → x̂_0`; τ(t) is [B, hiddenSize]. */
export interface DenoiserBackbone extends Module {
  apply(input: DenoiserInput, time: Tensor2D): Tensor2D;
}
