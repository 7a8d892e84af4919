import { createRng, InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import {
  createChildModules,
  createVariableModule,
  disposeVariables,
  drawSeed,
  type Module,
  requireSeed,
} from '@imecd/nn';
import type { Scalar, Tensor, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { addNoise } from './add-noise';
import {
  type ConditionalDiffusionOptions,
  type ResolvedConditionalDiffusionOptions,
  requireGuidanceWeight,
  resolveConditionalDiffusionOptions,
} from './conditional-diffusion-options';
import { contrastiveLoss } from './contrastive-loss';
import { createConditionalDenoiser } from './create-conditional-denoiser';
import { ddimStep } from './ddim-step';
import { ddpmStep } from './ddpm-step';
import type { DenoiserFunction, DenoiserModule } from './denoiser';
import type { NoiseSchedule } from './noise-schedule-from-betas';
import { standardNormal, uniformIntegers } from './random';
import { reconstructionLoss } from './reconstruction-loss';
import { type DiffusionSampleOptions, samplingPlan } from './sampling-plan';
import { requireMatrix, requireSameShape, requireTimesteps } from './tensor-checks';

/**
 * Input of {@link ConditionalDiffusion.computeLoss}: one training batch. Tensors are typed `Tensor`
 * (whatever rank tfjs's typings give an op's result); their shapes are checked when called.
 */
export interface DiffusionLossInput {
  /** x_0 [B, D], the clean samples (e.g. target item embeddings). */
  target: Tensor;
  /** c [B, C], one condition per row. */
  condition: Tensor;
  /** One id per row for the InfoNCE duplicate mask (see `contrastiveLoss`). Default: equal target rows share a target. */
  targetIds?: ArrayLike<number>;
  /** Drop conditions (with `conditionDropout`) and apply the denoiser's dropout. Default true. */
  training?: boolean;
  /** One step per row in [0, T). Default: uniform draws (DiffuRec and DreamRec sample t uniformly). */
  timesteps?: ArrayLike<number>;
  /** ε [B, D] for the forward noising. Default: N(0, I) draws. */
  noise?: Tensor;
  /** Seed of this call's timesteps, noise and condition-drop mask. Default: the model's own generator, which moves on each call. */
  seed?: number;
}

/** What {@link ConditionalDiffusion.computeLoss} returns; tensors are the caller's to dispose. */
export interface DiffusionLoss {
  /** reconstructionWeight · reconstruction + contrastiveWeight · contrastive: what to minimise. */
  loss: Scalar;
  /** mean((x̂_0 − x_0)²). */
  reconstruction: Scalar;
  /** InfoNCE between x̂_0 and the in-batch targets; 0, and not computed, when `contrastiveWeight` is 0. */
  contrastive: Scalar;
  /** x̂_0 [B, D], the denoiser's one-step estimate from x_t. */
  predictedTarget: Tensor2D;
  /** The steps used, one per row. */
  timesteps: Int32Array;
}

/** Input of {@link ConditionalDiffusion.predictTarget}. */
export interface PredictTargetInput {
  /** x_t [B, D]. */
  noisy: Tensor;
  /** c [B, C]. */
  condition: Tensor;
  /** One step per row in [0, T). */
  timesteps: ArrayLike<number>;
  /** Guidance weight w. Default the model's `guidanceWeight`. */
  guidanceWeight?: number;
  /** Apply the denoiser's dropout. Default false. */
  training?: boolean;
}

/** A conditional x_0-prediction diffusion with a contrastive objective and classifier-free guidance. */
export interface ConditionalDiffusion extends Module {
  readonly config: ResolvedConditionalDiffusionOptions;
  readonly schedule: NoiseSchedule;
  readonly denoiser: DenoiserFunction;
  /** The learned null condition [C] that replaces dropped conditions; undefined when `conditionDropout` is 0. */
  readonly nullCondition: Variable | undefined;
  /** One training batch: noise x_0 to x_t, predict x̂_0, and weigh the two losses. */
  computeLoss(input: DiffusionLossInput): DiffusionLoss;
  /** x̂_0 [B, D] with guidance: (1 + w) · f(x_t, c, t) − w · f(x_t, ∅, t). */
  predictTarget(input: PredictTargetInput): Tensor2D;
  /** Runs the reverse process from x_T ~ N(0, I) for each condition row → x_0 [B, D]. */
  sample(condition: Tensor, options?: DiffusionSampleOptions): Tensor2D;
}

/**
 * Builds the diffusion. `variables` lists the null condition (if any) and the denoiser's
 * variables when the denoiser is a module; train them with any tfjs optimizer, e.g.
 * `optimizer.minimize(() => diffusion.computeLoss(batch).loss)`.
 */
export function createConditionalDiffusion(options: ConditionalDiffusionOptions): ConditionalDiffusion {
  const { config, schedule } = resolveConditionalDiffusionOptions(options);
  const { dataSize, conditionSize, name } = config;
  const rng = createRng(config.seed);
  const givenDenoiser = options.denoiser;
  if (givenDenoiser !== undefined && typeof givenDenoiser !== 'function' && !isDenoiserModule(givenDenoiser)) {
    throw new InvalidArgumentError('denoiser', 'expected a function or a module with apply, variables and dispose');
  }
  const denoiserSeed = drawSeed(rng);
  const parts = createChildModules<Record<string, Module>>({
    ...(config.conditionDropout > 0 && {
      nullCondition: () =>
        createVariableModule(
          `${name}/null_condition`,
          [conditionSize],
          Float32Array.from({ length: conditionSize }, () => 0.02 * rng.normal()),
        ),
    }),
    ...(typeof givenDenoiser !== 'function' && {
      denoiser: () =>
        givenDenoiser ??
        createConditionalDenoiser({ dataSize, conditionSize, name: `${name}/denoiser`, seed: denoiserSeed }),
    }),
  });
  const nullCondition = parts.nullCondition?.variables[0];
  const denoiserModule = parts.denoiser as DenoiserModule | undefined;
  const denoiser: DenoiserFunction =
    denoiserModule === undefined ? (givenDenoiser as DenoiserFunction) : (input) => denoiserModule.apply(input);
  const variables = Object.values(parts).flatMap((part) => [...part.variables]);

  /** f(x_t, c, t), checked to return [B, D]. */
  const denoise = (noisy: Tensor2D, condition: Tensor2D, timesteps: Int32Array, training: boolean): Tensor2D => {
    const predicted = denoiser({ noisy, condition, timesteps: tf.tensor1d(timesteps, 'int32'), training });
    if (predicted.rank !== 2 || predicted.shape[0] !== noisy.shape[0] || predicted.shape[1] !== dataSize) {
      throw new ShapeMismatchError('denoiser output', `[${noisy.shape[0]}, ${dataSize}]`, predicted.shape);
    }
    return predicted;
  };
  /** c with the rows marked in `dropped` (1 = drop) replaced by the null condition. */
  const dropConditions = (condition: Tensor2D, dropped: Float32Array): Tensor2D => {
    if (nullCondition === undefined || !dropped.includes(1)) return condition;
    const mask = tf.tensor2d(dropped, [dropped.length, 1]); // [B, 1]
    return tf.add(
      tf.mul(condition, tf.sub(1, mask)),
      tf.mul(tf.reshape(nullCondition, [1, conditionSize]), mask),
    ) as Tensor2D;
  };
  const guidedPrediction = (
    noisy: Tensor2D,
    condition: Tensor2D,
    timesteps: Int32Array,
    weight: number,
    training: boolean,
  ): Tensor2D => {
    const conditional = denoise(noisy, condition, timesteps, training);
    if (weight === 0 || nullCondition === undefined) return conditional;
    const unconditional = denoise(
      noisy,
      dropConditions(condition, new Float32Array(timesteps.length).fill(1)),
      timesteps,
      training,
    );
    return tf.sub(tf.mul(conditional, 1 + weight), tf.mul(unconditional, weight)) as Tensor2D;
  };
  const checkCondition = (condition: Tensor, batch?: number): Tensor2D =>
    requireMatrix('condition', condition, batch, conditionSize);

  return {
    config,
    schedule,
    denoiser,
    nullCondition,
    variables,
    dispose: () => disposeVariables(variables),

    computeLoss(input) {
      const target = requireMatrix('target', input.target, undefined, dataSize);
      const batch = target.shape[0];
      const condition = checkCondition(input.condition, batch);
      if (input.noise !== undefined) requireSameShape('noise', input.noise, target, 'target');
      const training = input.training ?? true;
      const draws = input.seed === undefined ? rng : createRng(requireSeed('seed', input.seed));
      const timesteps =
        input.timesteps === undefined
          ? uniformIntegers(batch, schedule.numSteps, draws)
          : requireTimesteps('timesteps', input.timesteps, batch, schedule.numSteps);
      const dropped = Float32Array.from({ length: batch }, () =>
        training && draws.next() < config.conditionDropout ? 1 : 0,
      );
      const terms = tf.tidy(() => {
        const noise = (input.noise as Tensor2D | undefined) ?? standardNormal<Tensor2D>([batch, dataSize], draws); // same shape as target, checked above
        const noisy = addNoise(schedule, target, noise, timesteps);
        const predictedTarget = denoise(noisy, dropConditions(condition, dropped), timesteps, training);
        const reconstruction = reconstructionLoss(predictedTarget, target);
        // A dropped condition leaves nothing to tell the positive from the negatives: such rows are not anchors.
        const anchorMask = dropped.map((flag) => 1 - flag);
        const contrastive =
          config.contrastiveWeight === 0
            ? tf.scalar(0)
            : contrastiveLoss(predictedTarget, target, {
                temperature: config.temperature,
                similarity: config.similarity,
                targetIds: input.targetIds,
                anchorMask,
              });
        const loss = tf.add(
          tf.mul(reconstruction, config.reconstructionWeight),
          tf.mul(contrastive, config.contrastiveWeight),
        ) as Scalar;
        return { loss, reconstruction, contrastive, predictedTarget };
      });
      return { ...terms, timesteps };
    },

    predictTarget(input) {
      const noisy = requireMatrix('noisy', input.noisy, undefined, dataSize);
      const condition = checkCondition(input.condition, noisy.shape[0]);
      const timesteps = requireTimesteps('timesteps', input.timesteps, noisy.shape[0], schedule.numSteps);
      const weight = requireGuidanceWeight(input.guidanceWeight ?? config.guidanceWeight, config.conditionDropout);
      return tf.tidy(() => guidedPrediction(noisy, condition, timesteps, weight, input.training ?? false));
    },

    sample(conditionInput, sampleOptions = {}) {
      const condition = checkCondition(conditionInput);
      const batch = condition.shape[0];
      const plan = samplingPlan(schedule, sampleOptions);
      const weight = requireGuidanceWeight(
        sampleOptions.guidanceWeight ?? config.guidanceWeight,
        config.conditionDropout,
      );
      const draws = sampleOptions.seed === undefined ? rng : createRng(requireSeed('seed', sampleOptions.seed));
      const initialNoise =
        sampleOptions.initialNoise === undefined
          ? undefined
          : requireMatrix('initialNoise', sampleOptions.initialNoise, batch, dataSize);
      let current = initialNoise ?? standardNormal<Tensor2D>([batch, dataSize], draws);
      try {
        plan.steps.forEach((timestep, index) => {
          const next = tf.tidy(() => {
            const predictedTarget = guidedPrediction(
              current,
              condition,
              new Int32Array(batch).fill(timestep),
              weight,
              false,
            );
            const previousTimestep = plan.steps[index + 1] ?? -1;
            const needsNoise = plan.sampler === 'ddpm' ? timestep > 0 : plan.eta > 0 && previousTimestep >= 0;
            const noise = needsNoise ? standardNormal<Tensor2D>([batch, dataSize], draws) : undefined;
            return plan.sampler === 'ddpm'
              ? ddpmStep(schedule, { predictedTarget, noisy: current, timestep, noise, variance: config.variance })
              : ddimStep(schedule, {
                  predictedTarget,
                  noisy: current,
                  timestep,
                  previousTimestep,
                  eta: plan.eta,
                  noise,
                });
          });
          if (current !== initialNoise) current.dispose();
          current = next;
        });
      } catch (error) {
        if (current !== initialNoise) current.dispose();
        throw error;
      }
      return current;
    },
  };
}

function isDenoiserModule(value: unknown): value is DenoiserModule {
  const candidate = value as Partial<DenoiserModule> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.apply === 'function' &&
    Array.isArray(candidate.variables) &&
    typeof candidate.dispose === 'function'
  );
}
