import { selectBackend } from '@imecd/backend';
import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { restoreVariables, serializeVariables } from '@imecd/nn';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contrastiveLoss } from './contrastive-loss';
import { createConditionalDenoiser } from './create-conditional-denoiser';
import { createConditionalDiffusion } from './create-conditional-diffusion';
import type { DenoiserFunction } from './denoiser';
import { noiseScheduleFromBetas } from './noise-schedule-from-betas';
import { syntheticTensor } from './synthetic.test-helper';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});
afterEach(() => {
  tf.disposeVariables();
});

/** x̂_0 = x_t: lets the losses be computed by hand. */
const echoNoisy: DenoiserFunction = ({ noisy }) => tf.clone(noisy);
/** x̂_0 = c: a perfect denoiser when the condition is the target, and a window onto which condition it saw. */
const echoCondition: DenoiserFunction = ({ condition }) => tf.clone(condition);

describe('createConditionalDiffusion', () => {
  it('resolves its defaults and owns a default MLP denoiser and, with condition dropout, a null condition', () => {
    const plain = createConditionalDiffusion({ dataSize: 4, seed: 1 });
    expect(plain.config).toEqual({
      dataSize: 4,
      conditionSize: 4,
      reconstructionWeight: 1,
      contrastiveWeight: 0.1,
      temperature: 0.1,
      similarity: 'cosine',
      conditionDropout: 0,
      guidanceWeight: 0,
      variance: 'posterior',
      name: 'diffusion',
      seed: 1,
    });
    expect(plain.schedule.numSteps).toBe(32);
    expect(plain.schedule.betas[31]).toBeCloseTo(0.635, 12); // truncated linear
    expect(plain.nullCondition).toBeUndefined();
    expect(plain.variables[0]!.name).toBe('diffusion/denoiser/time/inner/kernel');
    const guided = createConditionalDiffusion({
      dataSize: 4,
      conditionSize: 3,
      conditionDropout: 0.1,
      name: 'guided',
      seed: 1,
    });
    expect(guided.nullCondition?.name).toBe('guided/null_condition');
    expect(guided.nullCondition?.shape).toEqual([3]);
    expect(guided.variables[0]).toBe(guided.nullCondition);
  });

  it('lists and disposes a denoiser module it is given, but not the weights of a plain function', () => {
    const module = createConditionalDenoiser({ dataSize: 2, name: 'mine', seed: 1 });
    const owning = createConditionalDiffusion({ dataSize: 2, denoiser: module, seed: 1 });
    expect(owning.variables).toEqual(module.variables);
    owning.dispose();
    expect(module.variables.every((variable) => variable.isDisposed)).toBe(true);
    const borrowing = createConditionalDiffusion({ dataSize: 2, denoiser: echoNoisy, name: 'borrowing', seed: 1 });
    expect(borrowing.variables).toEqual([]);
  });

  it('computes the weighted reconstruction and InfoNCE losses, hand-computed', () => {
    const diffusion = createConditionalDiffusion({
      dataSize: 2,
      schedule: noiseScheduleFromBetas([0.1, 0.2]),
      denoiser: echoNoisy,
      seed: 1,
    });
    const result = diffusion.computeLoss({
      target: tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      condition: tf.zeros([2, 2]),
      noise: tf.zeros([2, 2]),
      timesteps: [0, 1],
    });
    // x̂_0 = x_t = [√0.9 · e_0, √0.72 · e_1]: MSE = ((√0.9 − 1)² + (√0.72 − 1)²) / 4; cosine logits = I / 0.1.
    expectTensorsClose(result.reconstruction, 0.0063942823, 1e-7);
    expectTensorsClose(result.contrastive, Math.log(1 + Math.exp(-10)), 1e-6);
    expectTensorsClose(result.loss, 0.0063942823 + 0.1 * Math.log(1 + Math.exp(-10)), 1e-7);
    expectTensorsClose(
      result.predictedTarget,
      [
        [Math.sqrt(0.9), 0],
        [0, Math.sqrt(0.72)],
      ],
      1e-6,
    );
    expect(Array.from(result.timesteps)).toEqual([0, 1]);
  });

  it('draws timesteps uniformly and reproducibly from the call seed', () => {
    const diffusion = createConditionalDiffusion({ dataSize: 2, denoiser: echoNoisy, contrastiveWeight: 0, seed: 1 });
    const rows = 2000;
    const input = {
      target: syntheticTensor<tf.Rank.R2>([rows, 2], 1),
      condition: tf.zeros([rows, 2]) as tf.Tensor2D,
      targetIds: new Int32Array(rows).map((_, row) => row),
    };
    const first = diffusion.computeLoss({ ...input, seed: 5 });
    const again = diffusion.computeLoss({ ...input, seed: 5 });
    expect(Array.from(again.timesteps)).toEqual(Array.from(first.timesteps));
    expectTensorsClose(again.loss, first.loss, 0);
    const counts = new Array<number>(32).fill(0);
    first.timesteps.forEach((step) => {
      counts[step]!++;
    });
    expect(Math.min(...counts)).toBeGreaterThan(35); // 62.5 expected per step
    expect(Math.max(...counts)).toBeLessThan(90);
    expect(Array.from(diffusion.computeLoss({ ...input, seed: 6 }).timesteps)).not.toEqual(Array.from(first.timesteps));
  });

  it('replaces dropped conditions by the null vector while training only, and keeps them out of the InfoNCE anchors', () => {
    const diffusion = createConditionalDiffusion({
      dataSize: 2,
      denoiser: echoCondition,
      conditionDropout: 0.5,
      temperature: 0.001,
      seed: 1,
    });
    diffusion.nullCondition!.assign(tf.tensor1d([9, 9]));
    // 40 unit vectors 9° apart: each row's own target is its nearest by cosine.
    const angles = Array.from({ length: 40 }, (_, row) => (row * Math.PI) / 20);
    const condition = tf.tensor2d(angles.map((angle) => [Math.cos(angle), Math.sin(angle)]));
    const trained = diffusion.computeLoss({ target: condition, condition, seed: 3 });
    const rows = trained.predictedTarget.arraySync();
    const dropped = rows.filter(([first, second]) => first === 9 && second === 9).length;
    const kept = rows.filter(
      ([first, second], row) =>
        first === Math.fround(Math.cos(angles[row]!)) && second === Math.fround(Math.sin(angles[row]!)),
    ).length;
    expect(dropped + kept).toBe(40);
    expect(dropped).toBeGreaterThan(10);
    expect(kept).toBeGreaterThan(10);
    expectTensorsClose(
      diffusion.computeLoss({ target: condition, condition, seed: 3, training: false }).predictedTarget,
      condition,
      0,
    );
    // Kept rows predict their own target exactly; the dropped rows, were they anchors, would dominate the mean.
    expect(trained.contrastive.dataSync()[0]).toBeLessThan(1e-3);
    expect(contrastiveLoss(trained.predictedTarget, condition, { temperature: 0.001 }).dataSync()[0]).toBeGreaterThan(
      1,
    );
  });

  it('guides the prediction as (1 + w)·f(x_t, c, t) − w·f(x_t, ∅, t)', () => {
    const diffusion = createConditionalDiffusion({
      dataSize: 2,
      denoiser: echoCondition,
      conditionDropout: 0.1,
      guidanceWeight: 2,
      seed: 1,
    });
    diffusion.nullCondition!.assign(tf.tensor1d([0.5, -1]));
    const input = {
      noisy: tf.zeros([2, 2]) as tf.Tensor2D,
      condition: tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      timesteps: [0, 5],
    };
    expectTensorsClose(diffusion.predictTarget(input), [
      [3 - 1, 6 + 2],
      [9 - 1, 12 + 2],
    ]);
    expectTensorsClose(diffusion.predictTarget({ ...input, guidanceWeight: 0 }), [
      [1, 2],
      [3, 4],
    ]);
  });

  it('samples exactly x̂_0 when the denoiser is perfect, with both samplers', () => {
    const diffusion = createConditionalDiffusion({ dataSize: 2, denoiser: echoCondition, seed: 1 });
    const condition = tf.tensor2d([
      [1.5, -0.5],
      [2, 3],
      [-1, 0],
    ]);
    expectTensorsClose(diffusion.sample(condition, { seed: 1 }), condition, 1e-6);
    expectTensorsClose(diffusion.sample(condition, { sampler: 'ddim', samplingSteps: 4, seed: 1 }), condition, 1e-6);
    expectTensorsClose(
      diffusion.sample(condition, { sampler: 'ddim', samplingSteps: 4, eta: 1, seed: 1 }),
      condition,
      1e-6,
    );
  });

  it('samples reproducibly per seed, differently across seeds, and from a given x_T without disposing it', () => {
    const diffusion = createConditionalDiffusion({ dataSize: 2, schedule: { numSteps: 8 }, seed: 1 });
    const condition = syntheticTensor<tf.Rank.R2>([3, 2], 1);
    for (const options of [{}, { sampler: 'ddim' as const, samplingSteps: 3 }]) {
      const first = diffusion.sample(condition, { ...options, seed: 4 });
      expect(first.shape).toEqual([3, 2]);
      expectTensorsClose(diffusion.sample(condition, { ...options, seed: 4 }), first, 0);
      expect(
        tf.max(tf.abs(tf.sub(diffusion.sample(condition, { ...options, seed: 5 }), first))).dataSync()[0],
      ).toBeGreaterThan(1e-3);
    }
    const initialNoise = syntheticTensor<tf.Rank.R2>([3, 2], 2);
    const fromGiven = diffusion.sample(condition, { sampler: 'ddim', samplingSteps: 3, initialNoise, seed: 1 });
    expectTensorsClose(
      diffusion.sample(condition, { sampler: 'ddim', samplingSteps: 3, initialNoise, seed: 2 }),
      fromGiven,
      0,
    ); // η = 0: x_T decides
    expect(initialNoise.isDisposed).toBe(false);
  });

  it('matches finite differences for the target, the condition and every variable, null condition included', () => {
    const diffusion = createConditionalDiffusion({
      dataSize: 2,
      conditionSize: 2,
      conditionDropout: 0.5,
      contrastiveWeight: 1,
      temperature: 1,
      schedule: { numSteps: 4 },
      denoiser: createConditionalDenoiser({
        dataSize: 2,
        hiddenSize: 3,
        timeEmbeddingSize: 2,
        numLayers: 1,
        name: 'small',
        seed: 2,
      }),
      seed: 1,
    });
    const input = { targetIds: [0, 1, 2, 3], seed: 7 };
    // Seed 7 drops some rows but not all, so the null condition is on the gradient path.
    const dropped = diffusion.computeLoss({
      target: tf.zeros([4, 2]),
      condition: tf.ones([4, 2]),
      ...input,
    }).predictedTarget;
    expect(dropped.shape).toEqual([4, 2]);
    expectGradientsClose(
      (target, condition) =>
        diffusion.computeLoss({ target: target as tf.Tensor2D, condition: condition as tf.Tensor2D, ...input }).loss,
      [syntheticTensor([4, 2], 3), syntheticTensor([4, 2], 4), ...diffusion.variables],
      // The cosine of small, barely trained x̂_0 curves sharply: a step of 1e-2 is off by 4%, 1e-3 by 0.05%.
      { epsilon: 1e-3 },
    );
    const gradients = tf.variableGrads(
      () =>
        diffusion.computeLoss({ target: syntheticTensor([4, 2], 3), condition: syntheticTensor([4, 2], 4), ...input })
          .loss,
    );
    expect(tf.sum(tf.abs(gradients.grads['diffusion/null_condition']!)).dataSync()[0]).toBeGreaterThan(0);
  });

  it('trains with a tfjs optimizer and saves and restores its weights', () => {
    const options = { dataSize: 2, conditionSize: 3, schedule: { numSteps: 6 }, seed: 1 } as const;
    const diffusion = createConditionalDiffusion(options);
    const batch = {
      target: syntheticTensor<tf.Rank.R2>([8, 2], 1),
      condition: syntheticTensor<tf.Rank.R2>([8, 3], 2),
      targetIds: [0, 1, 2, 3, 4, 5, 6, 7],
      seed: 3,
    };
    const before = diffusion.computeLoss(batch).loss.dataSync()[0]!;
    const optimizer = tf.train.adam(0.02);
    for (let step = 0; step < 20; step++) optimizer.minimize(() => diffusion.computeLoss(batch).loss);
    expect(diffusion.computeLoss(batch).loss.dataSync()[0]).toBeLessThan(before);
    const saved = serializeVariables(diffusion.variables);
    const samples = diffusion.sample(batch.condition, { seed: 9 });
    diffusion.dispose();
    const restored = createConditionalDiffusion({ ...options, seed: 2 });
    restoreVariables(restored.variables, saved);
    expectTensorsClose(restored.sample(batch.condition, { seed: 9 }), samples, 1e-6);
  });

  it('rejects bad options, naming them', () => {
    expect(() => createConditionalDiffusion({ dataSize: 0 })).toThrow(InvalidArgumentError);
    expect(() => createConditionalDiffusion({ dataSize: 2, guidanceWeight: 1 })).toThrow(
      /guidanceWeight.*conditionDropout > 0/,
    );
    expect(() => createConditionalDiffusion({ dataSize: 2, conditionDropout: 1 })).toThrow(/conditionDropout/);
    expect(() => createConditionalDiffusion({ dataSize: 2, reconstructionWeight: 0, contrastiveWeight: 0 })).toThrow(
      /nothing would be trained/,
    );
    expect(() => createConditionalDiffusion({ dataSize: 2, temperature: 0 })).toThrow(/temperature/);
    expect(() => createConditionalDiffusion({ dataSize: 2, variance: 'learned' as never })).toThrow(/variance/);
    expect(() => createConditionalDiffusion({ dataSize: 2, schedule: { kind: 'linear', numSteps: 5 } })).toThrow(
      /betaEnd/,
    );
    expect(() => createConditionalDiffusion({ dataSize: 2, denoiser: {} as never })).toThrow(/denoiser/);
    expect(Object.keys(tf.engine().registeredVariables)).toEqual([]);
  });

  it('rejects bad calls, naming the argument and the shapes', () => {
    const diffusion = createConditionalDiffusion({ dataSize: 2, conditionSize: 3, schedule: { numSteps: 4 }, seed: 1 });
    const target = tf.zeros([2, 2]) as tf.Tensor2D;
    const condition = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => diffusion.computeLoss({ target: tf.zeros([2, 3]) as tf.Tensor2D, condition })).toThrow(
      ShapeMismatchError,
    );
    expect(() => diffusion.computeLoss({ target, condition: tf.zeros([3, 3]) as tf.Tensor2D })).toThrow(
      /condition.*\[2, 3\].*\[3, 3\]/,
    );
    expect(() => diffusion.computeLoss({ target, condition, timesteps: [0, 4] })).toThrow(/timesteps/);
    expect(() => diffusion.computeLoss({ target, condition, noise: tf.zeros([2, 1]) as tf.Tensor2D })).toThrow(/noise/);
    expect(() => diffusion.sample(condition, { samplingSteps: 2 })).toThrow(/samplingSteps.*only the 'ddim' sampler/);
    expect(() => diffusion.sample(condition, { sampler: 'ddim', samplingSteps: 5 })).toThrow(/samplingSteps/);
    expect(() => diffusion.sample(condition, { sampler: 'euler' as never })).toThrow(/sampler/);
    expect(() => diffusion.sample(condition, { guidanceWeight: 1 })).toThrow(/guidanceWeight/);
    expect(() => diffusion.sample(condition, { initialNoise: tf.zeros([2, 3]) as tf.Tensor2D })).toThrow(
      /initialNoise/,
    );
    expect(() => diffusion.predictTarget({ noisy: target, condition, timesteps: [0] })).toThrow(/timesteps/);
    const wrongOutput = createConditionalDiffusion({
      dataSize: 2,
      conditionSize: 3,
      denoiser: ({ condition: c }) => tf.clone(c),
      name: 'wrong',
    });
    expect(() => wrongOutput.sample(condition)).toThrow(/denoiser output.*\[2, 2\].*\[2, 3\]/);
  });

  it('leaks no tensors while training and sampling', async () => {
    const diffusion = createConditionalDiffusion({
      dataSize: 2,
      conditionDropout: 0.3,
      guidanceWeight: 1,
      schedule: { numSteps: 5 },
      seed: 1,
    });
    const target = syntheticTensor<tf.Rank.R2>([4, 2], 1);
    const condition = syntheticTensor<tf.Rank.R2>([4, 2], 2);
    await expectNoLeakedTensors(() => diffusion.computeLoss({ target, condition }));
    await expectNoLeakedTensors(() => tf.variableGrads(() => diffusion.computeLoss({ target, condition }).loss));
    await expectNoLeakedTensors(() => diffusion.sample(condition));
    await expectNoLeakedTensors(() => diffusion.sample(condition, { sampler: 'ddim', samplingSteps: 3, eta: 0.5 }));
  });
});
