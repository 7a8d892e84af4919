/**
 * Diffusion whose denoiser is the caller's own network (DiffuRec's "approximator"): the noisy
 * target x_t never goes through a separate denoiser. It enters the caller's network, typically a
 * sequence encoder, as an additive input λ·(x_t + τ(t)) on the token that predicts the target, and
 * the network's output there is x̂_0. This module owns the schedule and τ; the caller owns the rest.
 */

import { createRng } from '@imecd/core';
import { drawSeed, type Module, requireNonNegativeNumber, requirePositiveInteger, requireScopeName } from '@imecd/nn';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { addNoise } from './add-noise';
import { createNoiseSchedule, type NoiseScheduleOptions } from './create-noise-schedule';
import { ddimStep, ddimTimesteps } from './ddim-step';
import type { NoiseSchedule } from './noise-schedule-from-betas';
import { standardNormal, uniformIntegers } from './random';
import { requireMatrix, requireTimesteps } from './tensor-checks';
import { createTimeNetwork } from './time-network';
import { resolveSeedOption } from './validate';

/** Options of {@link createSequenceDiffusion}. */
export interface SequenceDiffusionOptions {
  /** Width D of x_0 (the caller's token width, or the sum over several networks it splits). Required. */
  dataSize: number;
  /** The noise schedule. Default DiffuRec's: `{ kind: 'truncated-linear', numSteps: 32 }`. */
  schedule?: NoiseScheduleOptions;
  /**
   * λ, the scale of x_t + τ(t) where it joins the caller's input. DiffuRec draws λ ~ N(0.001, 0.001)
   * per batch, so the noisy target is a whisper beside the history's tokens. Default 0.001.
   */
  noiseScale?: number;
  /** Scope of the variable names (`<name>/time/inner/kernel`, …). Default `'sequence_diffusion'`. */
  name?: string;
  /** Seed of τ's initial weights. Default: a random seed (not reproducible). */
  seed?: number;
}

/** The options after defaults, with the seed that was actually used. */
export interface ResolvedSequenceDiffusionOptions {
  readonly dataSize: number;
  readonly noiseScale: number;
  readonly name: string;
  readonly seed: number;
}

/**
 * The caller's network as a denoiser: `input` [B, D] = λ·(x_t + τ(t)) for the rows being denoised,
 * all at step `timestep` → x̂_0 [B, D]. Called once per reverse step, inside a `tf.tidy`.
 */
export type Approximator = (input: Tensor2D, timestep: number) => Tensor2D;

/** What {@link SequenceDiffusion.noisyInput} returns; the caller owns `input`. */
export interface NoisyInput {
  /** λ·(x_t + τ(t)) [R, D], x_t = √ᾱ_t·x_0 + √(1 − ᾱ_t)·ε. */
  input: Tensor2D;
  /** The step t of each row, drawn uniformly from [0, T). */
  timesteps: Int32Array;
}

/** Diffusion with a caller-owned approximator: training inputs and the DDIM reverse process. */
export interface SequenceDiffusion extends Module {
  readonly config: ResolvedSequenceDiffusionOptions;
  readonly schedule: NoiseSchedule;
  /** λ·(x_t + τ(t)) [R, D] for given x_t [R, D] and one step per row. Differentiable in x_t and τ. */
  embed(noisy: Tensor2D, timesteps: ArrayLike<number>): Tensor2D;
  /**
   * The training input for targets x_0 [R, D]: a step t and noise ε per row, both drawn from
   * `seed` (so a resumed run draws what an uninterrupted one would), then `embed(x_t, t)`.
   */
  noisyInput(target: Tensor, options: { seed: number }): NoisyInput;
  /**
   * The reverse process from x_T = `initialNoise` [B, D] (not disposed): at each of `samplingSteps`
   * DDIM steps (η = 0, so deterministic given x_T) the approximator predicts x̂_0 from
   * `embed(x_t, t)`; returns the last x̂_0. One step returns `approximate(embed(x_T, T − 1))`.
   */
  sample(approximate: Approximator, initialNoise: Tensor, options: { samplingSteps: number }): Tensor2D;
}

/** Builds a {@link SequenceDiffusion}; its variables are τ's two dense layers. */
export function createSequenceDiffusion(options: SequenceDiffusionOptions): SequenceDiffusion {
  const config: ResolvedSequenceDiffusionOptions = {
    dataSize: requirePositiveInteger('dataSize', options.dataSize),
    noiseScale: requireNonNegativeNumber('noiseScale', options.noiseScale ?? 0.001),
    name: requireScopeName('name', options.name ?? 'sequence_diffusion'),
    seed: resolveSeedOption(options.seed),
  };
  const schedule = createNoiseSchedule({ kind: 'truncated-linear', numSteps: 32, ...options.schedule });
  const { dataSize, noiseScale } = config;
  // τ(t) has x_t's width, so that it can be added to it, as DiffuRec does.
  const time = createTimeNetwork(
    { embeddingSize: dataSize, hiddenSize: dataSize, initializer: 'glorot-uniform', name: `${config.name}/time` },
    createRng(config.seed),
  );

  /** λ·(x_t + τ), τ [R, D] or one row [1, D] that every row shares. */
  const scaledSum = (noisy: Tensor2D, timeFeatures: Tensor2D): Tensor2D =>
    tf.mul(tf.add(noisy, timeFeatures), noiseScale) as Tensor2D;
  const embed = (noisy: Tensor2D, timesteps: ArrayLike<number>): Tensor2D => {
    requireMatrix('noisy', noisy, undefined, dataSize);
    const steps = requireTimesteps('timesteps', timesteps, noisy.shape[0], schedule.numSteps);
    return tf.tidy(() => scaledSum(noisy, time.apply(tf.tensor1d(steps, 'int32'))));
  };

  return {
    config,
    schedule,
    variables: time.variables,
    dispose: () => time.dispose(),
    embed,
    noisyInput(target, { seed }) {
      const rows = requireMatrix('target', target, undefined, dataSize).shape[0];
      const rng = createRng(seed);
      const timesteps = uniformIntegers(rows, schedule.numSteps, createRng(drawSeed(rng)));
      const input = tf.tidy(() =>
        embed(
          addNoise(
            schedule,
            target as Tensor2D,
            standardNormal<Tensor2D>([rows, dataSize], createRng(drawSeed(rng))),
            timesteps,
          ),
          timesteps,
        ),
      );
      return { input, timesteps };
    },
    sample(approximate, initialNoise, { samplingSteps }) {
      const rows = requireMatrix('initialNoise', initialNoise, undefined, dataSize).shape[0];
      const steps = ddimTimesteps(schedule.numSteps, samplingSteps);
      let noisy = initialNoise as Tensor2D; // x_t [B, D]
      let predicted: Tensor2D | undefined;
      steps.forEach((step, index) => {
        const previousStep = steps[index + 1] ?? -1;
        const [nextPredicted, nextNoisy] = tf.tidy(() => {
          // Every row is at this step: τ(t) once, [1, D], added to each row (the values of embed(x_t, [t, …, t])).
          const input = scaledSum(noisy, time.apply(tf.tensor1d([step], 'int32'))); // [B, D]
          const estimate = approximate(input, step); // x̂_0 [B, D]
          requireMatrix('approximator output', estimate, rows, dataSize);
          return [
            estimate,
            previousStep < 0
              ? estimate
              : ddimStep(schedule, {
                  predictedTarget: estimate,
                  noisy,
                  timestep: step,
                  previousTimestep: previousStep,
                }),
          ];
        });
        if (predicted !== undefined) predicted.dispose();
        if (noisy !== initialNoise && noisy !== nextNoisy) noisy.dispose();
        predicted = nextPredicted;
        noisy = nextNoisy;
      });
      return predicted!;
    },
  };
}
