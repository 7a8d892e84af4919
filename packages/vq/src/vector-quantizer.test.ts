import { selectBackend } from '@imecd/backend';
import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { restoreVariables, serializeVariables } from '@imecd/nn';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose, numericGradient } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keepOnly, syntheticTensor } from './synthetic.test-helper';
import { createVectorQuantizer } from './vector-quantizer';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});
afterEach(() => {
  tf.disposeVariables();
});

// Hand-checked case: codes e0 = (0, 0), e1 = (1, 0), e2 = (0, 2). Squared distances of each input
// to (e0, e1, e2): (0.1, 0.1) → (0.02, 0.82, 3.62); (0.9, −0.2) → (0.85, 0.05, 5.65);
// (0.2, 1.5) → (2.29, 2.89, 0.29); (1, 1) → (2, 1, 2). So codes 0, 1, 2, 1 with errors summing to 1.36.
const CODES = [
  [0, 0],
  [1, 0],
  [0, 2],
];
const INPUTS = [
  [0.1, 0.1],
  [0.9, -0.2],
  [0.2, 1.5],
  [1, 1],
];

function handSetQuantizer(options: Partial<Parameters<typeof createVectorQuantizer>[0]> = {}) {
  const quantizer = createVectorQuantizer({
    inputSize: 2,
    codebookSize: 3,
    initialization: 'uniform',
    seed: 1,
    ...options,
  });
  quantizer.codebooks[0]!.assign(tf.tensor2d(CODES));
  return quantizer;
}

describe('createVectorQuantizer: values', () => {
  it('picks the nearest code and reports hand-computed losses and statistics', () => {
    const output = handSetQuantizer().apply(tf.tensor2d(INPUTS));
    expect(Array.from(output.indices.dataSync())).toEqual([0, 1, 2, 1]);
    expect(output.indices.dtype).toBe('int32');
    expectTensorsClose(output.quantized, [
      [0, 0],
      [1, 0],
      [0, 2],
      [1, 0],
    ]);
    // 1.36 over 4 vectors × 2 axes; loss = 0.17 + 0.25 · 0.17.
    expectTensorsClose(output.codebookLoss, 0.17);
    expectTensorsClose(output.commitmentLoss, 0.17);
    expectTensorsClose(output.loss, 0.2125);
    expect(output.statistics.meanError).toBeCloseTo(0.34, 6);
    // Counts (1, 2, 1): shares (¼, ½, ¼), entropy 1.5·ln 2, perplexity 2^1.5.
    expect(output.statistics.perplexity).toBeCloseTo(2 ** 1.5, 5);
    expect(output.statistics.usage).toBe(1);
    expect(output.statistics.restartedCodes).toBe(0);
    expect(output.levels).toHaveLength(1);
  });

  it('keeps the leading shape of inputs of any rank', () => {
    const quantizer = handSetQuantizer();
    const batched = quantizer.apply(tf.tensor3d([INPUTS.slice(0, 2), INPUTS.slice(2)])); // [2, 2, 2]
    expect(batched.quantized.shape).toEqual([2, 2, 2]);
    expect(batched.indices.arraySync()).toEqual([
      [0, 1],
      [2, 1],
    ]);
    const single = quantizer.apply(tf.tensor1d([0.2, 1.5]));
    expect(single.quantized.shape).toEqual([2]);
    expect(single.indices.arraySync()).toBe(2);
  });

  it('leaves masked vectors out of losses and statistics but still quantizes them', () => {
    const output = handSetQuantizer().apply(tf.tensor2d(INPUTS), { mask: tf.tensor1d([1, 1, 1, 0]) });
    expect(Array.from(output.indices.dataSync())).toEqual([0, 1, 2, 1]);
    // Errors 0.02 + 0.05 + 0.29 over 3 vectors × 2 axes; one vector per code.
    expectTensorsClose(output.codebookLoss, 0.06);
    expect(output.statistics.meanError).toBeCloseTo(0.12, 6);
    expect(output.statistics.perplexity).toBeCloseTo(3, 5);
  });

  it('compares directions with distance cosine and outputs unit codes', () => {
    const quantizer = createVectorQuantizer({
      inputSize: 2,
      codebookSize: 2,
      distance: 'cosine',
      initialization: 'uniform',
      seed: 1,
    });
    quantizer.codebooks[0]!.assign(
      tf.tensor2d([
        [2, 0],
        [0, 3],
      ]),
    ); // lengths do not matter
    // (3, 1) and (1, 2): cosines to the axes 3/√10 vs 1/√10 and 1/√5 vs 2/√5.
    const output = quantizer.apply(
      tf.tensor2d([
        [3, 1],
        [1, 2],
      ]),
    );
    expect(Array.from(output.indices.dataSync())).toEqual([0, 1]);
    expectTensorsClose(output.quantized, [
      [1, 0],
      [0, 1],
    ]);
    // ‖x̂ − e‖² = 2 − 2 cos on unit vectors.
    expect(output.statistics.meanError).toBeCloseTo((2 - (2 * 3) / Math.sqrt(10) + 2 - (2 * 2) / Math.sqrt(5)) / 2, 5);
  });

  it('quantizes residuals level by level and sums the codes', () => {
    const quantizer = createVectorQuantizer({
      inputSize: 1,
      codebookSize: 2,
      levels: 2,
      initialization: 'uniform',
      seed: 1,
    });
    quantizer.codebooks[0]!.assign(tf.tensor2d([[0], [10]]));
    quantizer.codebooks[1]!.assign(tf.tensor2d([[-1], [1]]));
    // 11.2 → 10 + 1, 0.7 → 0 + 1, 9.5 → 10 − 1: residuals after level 0 are 1.2, 0.7, −0.5.
    const output = quantizer.apply(tf.tensor2d([[11.2], [0.7], [9.5]]));
    expect(output.indices.arraySync()).toEqual([
      [1, 1],
      [0, 1],
      [1, 0],
    ]);
    expectTensorsClose(output.quantized, [[11], [1], [9]]);
    expect(output.levels[0]!.statistics.meanError).toBeCloseTo((1.44 + 0.49 + 0.25) / 3, 5);
    expect(output.statistics.meanError).toBeCloseTo((0.04 + 0.09 + 0.25) / 3, 5);
    expect(Array.from(output.levels[1]!.indices.dataSync())).toEqual([1, 1, 0]);
    // The losses average the levels: ((1.44 + 0.49 + 0.25) / 3 + (0.04 + 0.09 + 0.25) / 3) / 2.
    expectTensorsClose(output.codebookLoss, (2.18 / 3 + 0.38 / 3) / 2, 1e-5);
    expect(quantizer.variables.map((variable) => variable.name)).toEqual([
      'vq/level_0/codebook',
      'vq/level_1/codebook',
      'vq/initialized',
    ]);
  });
});

describe('createVectorQuantizer: gradients', () => {
  // Inputs near the hand-set codes but never near a boundary, so ±ε never flips a choice.
  const inputs = () =>
    tf.add(
      tf.tensor2d([
        [0, 0],
        [1, 0],
        [0, 2],
        [1, 0],
        [0, 0],
      ]),
      syntheticTensor([5, 2], 3, 0.1),
    );

  it('passes the task gradient straight through to the inputs', () => {
    const quantizer = handSetQuantizer();
    const weights = syntheticTensor([5, 2], 4);
    const task = (q: tf.Tensor) => tf.sum(tf.mul(tf.tanh(q), weights));
    const z = inputs();
    const analytic = tf.grad((x: tf.Tensor) => task(keepOnly(quantizer.apply(x), 'quantized')))(z);
    // The straight-through gradient is the task's gradient at the codes.
    expectTensorsClose(analytic, numericGradient(task, keepOnly(quantizer.apply(z), 'quantized')), 2e-3);
  });

  it('matches finite differences: codebook loss to the codebook, commitment loss to the inputs', () => {
    const quantizer = handSetQuantizer();
    const z = inputs();
    expectGradientsClose(() => keepOnly(quantizer.apply(z), 'codebookLoss'), [quantizer.codebooks[0]!]);
    expectGradientsClose((x) => keepOnly(quantizer.apply(x!), 'commitmentLoss'), [z]);
    // The total loss sends the codebook loss's gradient to the codes and β times the commitment's to the inputs.
    const [inputGradient, codebookGradient] = tf.grads((x: tf.Tensor, _codebook: tf.Tensor) =>
      keepOnly(quantizer.apply(x), 'loss'),
    )([z, quantizer.codebooks[0]!]);
    const commitmentGradient = tf.grad((x: tf.Tensor) => keepOnly(quantizer.apply(x), 'commitmentLoss'))(z);
    expectTensorsClose(inputGradient!, tf.mul(commitmentGradient, 0.25));
    expectTensorsClose(
      codebookGradient!,
      numericGradient(() => keepOnly(quantizer.apply(z), 'codebookLoss'), quantizer.codebooks[0]!, 1e-2),
      1e-3,
    );
  });

  it('matches finite differences through the cosine normalisation', () => {
    const quantizer = createVectorQuantizer({
      inputSize: 2,
      codebookSize: 2,
      distance: 'cosine',
      initialization: 'uniform',
      seed: 1,
    });
    quantizer.codebooks[0]!.assign(
      tf.tensor2d([
        [2, 0.5],
        [0.3, 3],
      ]),
    );
    const z = tf.tensor2d([
      [3, 1],
      [1, 2],
      [2, -0.5],
    ]);
    expectGradientsClose(() => keepOnly(quantizer.apply(z), 'codebookLoss'), [quantizer.codebooks[0]!]);
    expectGradientsClose((x) => keepOnly(quantizer.apply(x!), 'commitmentLoss'), [z]);
  });

  it('matches finite differences at every residual level', () => {
    const quantizer = createVectorQuantizer({
      inputSize: 2,
      codebookSize: 2,
      levels: 2,
      initialization: 'uniform',
      seed: 1,
    });
    quantizer.codebooks[0]!.assign(
      tf.tensor2d([
        [0, 0],
        [4, 4],
      ]),
    );
    quantizer.codebooks[1]!.assign(
      tf.tensor2d([
        [0.5, 0],
        [-0.5, 0.2],
      ]),
    );
    const z = tf.tensor2d([
      [0.6, 0.1],
      [3.4, 4.3],
      [4.7, 3.9],
      [-0.3, 0.2],
    ]);
    const levelLoss = (level: number) => () => {
      const output = quantizer.apply(z);
      const loss = tf.clone(output.levels[level]!.codebookLoss);
      tf.dispose(output as unknown as tf.TensorContainer);
      return loss;
    };
    // Level l's codebook loss trains codebook l; the residual it sees is detached from codebook l − 1.
    expectGradientsClose(levelLoss(0), [quantizer.codebooks[0]!]);
    expectGradientsClose(levelLoss(1), [quantizer.codebooks[1]!]);
    // Commitment at level l pulls z towards the partial sum of codes 0…l (RQ-VAE).
    expectGradientsClose((x) => keepOnly(quantizer.apply(x!), 'commitmentLoss'), [z]);
  });
});

describe('createVectorQuantizer: training-time updates', () => {
  it('moves codes by the EMA of their vectors', () => {
    const quantizer = createVectorQuantizer({
      inputSize: 1,
      codebookSize: 2,
      codebookUpdate: 'ema',
      emaDecay: 0.75,
      initialization: 'uniform',
      seed: 1,
    });
    // k-means on two points puts the codes exactly on them and resets the EMA state to "seen once".
    quantizer.initializeFromData(tf.tensor2d([[0], [10]]));
    quantizer.apply(tf.tensor2d([[1], [3], [9]]), { training: true });
    // Sizes 0.75·1 + 0.25·(2, 1) = (1.25, 1); sums 0.75·(0, 10) + 0.25·(4, 9) = (1, 9.75); codes = sums / sizes.
    const codes = Array.from(quantizer.codebooks[0]!.dataSync()).sort((a, b) => a - b);
    expectTensorsClose(tf.tensor1d(codes), [0.8, 9.75], 1e-4);
    expect(quantizer.trainableVariables).toEqual([]);
    expect(quantizer.codebooks[0]!.trainable).toBe(false);
    // EMA leaves the codebook loss out of the loss: only β · commitment remains.
    const output = quantizer.apply(tf.tensor2d([[1], [3]]));
    expectTensorsClose(output.loss, tf.mul(output.commitmentLoss, 0.25));
  });

  it('restarts codes idle for deadCodeSteps training calls on vectors of the batch that count', () => {
    const quantizer = createVectorQuantizer({
      inputSize: 1,
      codebookSize: 3,
      deadCodeSteps: 2,
      initialization: 'uniform',
      seed: 5,
    });
    quantizer.codebooks[0]!.assign(tf.tensor2d([[0], [100], [200]]));
    const batch = tf.tensor2d([[0.1], [-0.2], [0.3], [50]]);
    const mask = tf.tensor1d([1, 1, 1, 0]); // 50 is padding: never a restart source
    const first = quantizer.apply(batch, { training: true, mask });
    expect(first.statistics.restartedCodes).toBe(0);
    const second = quantizer.apply(batch, { training: true, mask });
    expect(second.statistics.restartedCodes).toBe(2);
    const codes = Array.from(quantizer.codebooks[0]!.dataSync());
    expect(codes[0]).toBe(0);
    for (const code of codes.slice(1)) expect([0.1, -0.2, 0.3].map(Math.fround)).toContain(code);
    // Eval calls change nothing.
    const before = quantizer.codebooks[0]!.arraySync();
    quantizer.apply(batch);
    expect(quantizer.codebooks[0]!.arraySync()).toEqual(before);
  });

  it('restarts onto the vectors served worst, k-means++ style', () => {
    for (let seed = 0; seed < 5; seed++) {
      const quantizer = createVectorQuantizer({
        inputSize: 1,
        codebookSize: 2,
        deadCodeSteps: 1,
        initialization: 'uniform',
        name: `restart_${seed}`,
        seed,
      });
      quantizer.codebooks[0]!.assign(tf.tensor2d([[0], [100]]));
      // Ten vectors sit on code 0 and two sit 10 away from it: the restart draws ∝ 0.01 vs 100.
      const batch = tf.tensor2d([
        [0.1],
        [-0.1],
        [0.1],
        [-0.1],
        [0.1],
        [-0.1],
        [0.1],
        [-0.1],
        [0.1],
        [-0.1],
        [10],
        [10.1],
      ]);
      expect(quantizer.apply(batch, { training: true }).statistics.restartedCodes).toBe(1);
      expect(quantizer.codebooks[0]!.dataSync()[1]).toBeGreaterThanOrEqual(10);
    }
  });

  it('initialises from the first training batch by k-means, once', () => {
    const quantizer = createVectorQuantizer({ inputSize: 2, codebookSize: 2, seed: 3 });
    expect(quantizer.initialized).toBe(false);
    const batch = tf.tensor2d([
      [5, 5],
      [5.2, 5],
      [5, 5.2],
      [-3, 1],
      [-3.2, 1],
      [-3, 1.2],
    ]);
    quantizer.apply(batch, { training: true });
    expect(quantizer.initialized).toBe(true);
    const codes = (quantizer.codebooks[0]!.arraySync() as number[][]).sort((a, b) => a[0]! - b[0]!);
    expectTensorsClose(
      tf.tensor2d(codes),
      [
        [-3.2 / 3 - 2, 3.2 / 3],
        [15.2 / 3, 15.2 / 3],
      ],
      1e-5,
    );
    quantizer.codebooks[0]!.assign(
      tf.tensor2d([
        [1, 1],
        [2, 2],
      ]),
    );
    quantizer.apply(batch, { training: true });
    expectTensorsClose(quantizer.codebooks[0]!, [
      [1, 1],
      [2, 2],
    ]);
  });

  it('starts uniform codes in (−1/K, 1/K) and is deterministic per seed', () => {
    const first = createVectorQuantizer({
      inputSize: 4,
      codebookSize: 8,
      initialization: 'uniform',
      name: 'a',
      seed: 9,
    });
    const again = createVectorQuantizer({
      inputSize: 4,
      codebookSize: 8,
      initialization: 'uniform',
      name: 'b',
      seed: 9,
    });
    const values = Array.from(first.codebooks[0]!.dataSync());
    expect(Math.max(...values.map(Math.abs))).toBeLessThan(1 / 8);
    expect(Array.from(again.codebooks[0]!.dataSync())).toEqual(values);
    expect(first.config.seed).toBe(9);
    expect(createVectorQuantizer({ inputSize: 1, codebookSize: 1, name: 'c' }).config.seed).toEqual(expect.any(Number));
  });

  it('lets an optimizer move gradient codebooks to the means of their vectors', () => {
    const quantizer = createVectorQuantizer({ inputSize: 2, codebookSize: 2, initialization: 'uniform', seed: 1 });
    quantizer.codebooks[0]!.assign(
      tf.tensor2d([
        [0.5, 0.5],
        [3.5, 3.5],
      ]),
    );
    const batch = tf.tensor2d([
      [0, 0],
      [1, 0],
      [0, 2],
      [4, 4],
      [3, 5],
    ]); // means (1/3, 2/3) and (3.5, 4.5)
    const optimizer = tf.train.adam(0.05);
    for (let step = 0; step < 120; step++)
      optimizer.minimize(() => quantizer.apply(batch, { training: true }).loss, false, [...quantizer.variables]);
    expectTensorsClose(
      quantizer.codebooks[0]!,
      [
        [1 / 3, 2 / 3],
        [3.5, 4.5],
      ],
      2e-2,
    );
  });
});

describe('createVectorQuantizer: state', () => {
  it('saves and restores every variable, without re-initialising a restored quantizer', () => {
    const options = {
      inputSize: 2,
      codebookSize: 2,
      codebookUpdate: 'ema',
      deadCodeSteps: 3,
      levels: 2,
      seed: 4,
    } as const;
    const trained = createVectorQuantizer(options);
    const batch = syntheticTensor([12, 2], 5);
    trained.apply(batch, { training: true });
    trained.apply(batch, { training: true });
    expect(trained.variables.map((variable) => variable.name)).toEqual([
      'vq/level_0/codebook',
      'vq/level_0/ema_cluster_size',
      'vq/level_0/ema_code_sum',
      'vq/level_0/idle_steps',
      'vq/level_1/codebook',
      'vq/level_1/ema_cluster_size',
      'vq/level_1/ema_code_sum',
      'vq/level_1/idle_steps',
      'vq/initialized',
    ]);
    const saved = serializeVariables(trained.variables);
    const expected = trained.apply(batch, { training: true }).quantized.arraySync();
    trained.dispose();

    const restored = createVectorQuantizer({ ...options, seed: 99 });
    restoreVariables(restored.variables, saved);
    expect(restored.initialized).toBe(true);
    // Same state in, same training call out: nothing was re-fitted to the batch.
    expect(restored.apply(batch, { training: true }).quantized.arraySync()).toEqual(expected);
  });

  it('leaks no tensors in eval and training calls, forward and backward', async () => {
    const quantizer = createVectorQuantizer({ inputSize: 3, codebookSize: 4, levels: 2, deadCodeSteps: 1, seed: 2 });
    const emaQuantizer = createVectorQuantizer({
      inputSize: 3,
      codebookSize: 4,
      codebookUpdate: 'ema',
      distance: 'cosine',
      deadCodeSteps: 1,
      name: 'ema',
      seed: 2,
    });
    const inputs = syntheticTensor([2, 5, 3], 6);
    const mask = tf.tensor2d([
      [1, 1, 1, 0, 0],
      [1, 1, 1, 1, 1],
    ]);
    const optimizer = tf.train.adam(0.01);
    await expectNoLeakedTensors(() => quantizer.apply(inputs));
    await expectNoLeakedTensors(() => quantizer.apply(inputs, { training: true, mask }));
    await expectNoLeakedTensors(() => emaQuantizer.apply(inputs, { training: true, mask }));
    await expectNoLeakedTensors(() => tf.variableGrads(() => quantizer.apply(inputs, { training: true, mask }).loss));
    await expectNoLeakedTensors(() => {
      optimizer.minimize(() =>
        tf.add(quantizer.apply(inputs, { training: true }).loss, emaQuantizer.apply(inputs, { training: true }).loss),
      );
    });
    await expectNoLeakedTensors(() => quantizer.initializeFromData(inputs, { mask }));
  });

  it('frees its variable names on dispose', () => {
    createVectorQuantizer({ inputSize: 2, codebookSize: 2, name: 'reused' }).dispose();
    expect(() => createVectorQuantizer({ inputSize: 2, codebookSize: 2, name: 'reused' })).not.toThrow();
  });
});

describe('createVectorQuantizer: errors', () => {
  it('names each invalid option', () => {
    const base = { inputSize: 2, codebookSize: 4 };
    const cases: [Record<string, unknown>, string][] = [
      [{ inputSize: 0 }, 'inputSize'],
      [{ codebookSize: 2.5 }, 'codebookSize'],
      [{ distance: 'manhattan' }, 'distance'],
      [{ commitmentWeight: -1 }, 'commitmentWeight'],
      [{ codebookUpdate: 'adam' }, 'codebookUpdate'],
      [{ emaDecay: 1 }, 'emaDecay'],
      [{ emaEpsilon: 0 }, 'emaEpsilon'],
      [{ initialization: 'random' }, 'initialization'],
      [{ kmeansIterations: -1 }, 'kmeansIterations'],
      [{ deadCodeSteps: 0.5 }, 'deadCodeSteps'],
      [{ levels: 0 }, 'levels'],
      [{ name: 'a//b' }, 'name'],
      [{ seed: Number.NaN }, 'seed'],
      [{ distance: 'cosine', levels: 2 }, 'levels'],
    ];
    for (const [override, argument] of cases) {
      const attempt = () =>
        createVectorQuantizer({ ...base, ...override } as Parameters<typeof createVectorQuantizer>[0]);
      expect(attempt).toThrow(InvalidArgumentError);
      try {
        attempt();
      } catch (error) {
        expect((error as InvalidArgumentError).argument).toBe(argument);
      }
    }
    expect(Object.keys(tf.engine().registeredVariables)).toEqual([]);
  });

  it('refuses taken names and inputs or masks of the wrong shape, naming both shapes', () => {
    const quantizer = createVectorQuantizer({ inputSize: 3, codebookSize: 4, name: 'taken' });
    expect(() => createVectorQuantizer({ inputSize: 3, codebookSize: 4, name: 'taken' })).toThrow(/already exists/);
    expect(() => quantizer.apply(tf.zeros([5, 2]))).toThrow(ShapeMismatchError);
    expect(() => quantizer.apply(tf.zeros([5, 2]))).toThrow('expected [..., 3] with at least one vector, got [5, 2]');
    expect(() => quantizer.apply(tf.zeros([0, 3]))).toThrow(ShapeMismatchError);
    expect(() => quantizer.apply(tf.zeros([2, 5, 3]), { mask: tf.ones([2, 4]) })).toThrow(
      /expected \[2, 5\].*got \[2, 4\]/,
    );
    expect(() => quantizer.apply(tf.zeros([5, 3], 'int32'))).toThrow(/float32/);
    expect(() => quantizer.initializeFromData(tf.ones([2, 3]), { mask: tf.zeros([2]) })).toThrow(/no vector/);
  });
});
