import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { createDense, restoreVariables, serializeVariables } from '@imecd/nn';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMixtureOfExperts, type MixtureOfExpertsOptions } from './mixture-of-experts';
import { syntheticTensor, useCpuBackend, values } from './synthetic.test-helper';

beforeAll(useCpuBackend);
afterEach(() => {
  tf.disposeVariables();
});

const small: MixtureOfExpertsOptions = { inputSize: 2, outputSize: 2, guideSize: 2, numExperts: 2, seed: 1 };
const HALF_LN_3 = Math.log(3) / 2; // softmax([ln3/2, −ln3/2]) = [0.75, 0.25]

/** Experts with E_0([1, 2]) = [1, 3], E_1([1, 2]) = [2.5, −1]; E_0([0, −1]) = [0, 0], E_1([0, −1]) = [0.5, 1]. */
function assignHandExperts(variables: readonly tf.Variable[]): void {
  const [kernel0, bias0, kernel1, bias1] = variables;
  kernel0!.assign(
    tf.tensor2d([
      [1, 0],
      [0, 1],
    ]),
  );
  bias0!.assign(tf.tensor1d([0, 1]));
  kernel1!.assign(
    tf.tensor2d([
      [2, 1],
      [0, -1],
    ]),
  );
  bias1!.assign(tf.tensor1d([0.5, 0]));
}

describe('createMixtureOfExperts', () => {
  const x = tf.tensor2d([
    [1, 2],
    [0, -1],
  ]);

  it('returns Σ_k w_k(g) · E_k(x) with the gate read from the guide, hand-computed', () => {
    const moe = createMixtureOfExperts(small);
    assignHandExperts(moe.variables);
    moe.variables[4]!.assign(
      tf.tensor2d([
        [1, -1],
        [0, 0],
      ]),
    ); // gate kernel: logits [g₀, −g₀]
    const guide = tf.tensor2d([
      [HALF_LN_3, 5],
      [0, -5],
    ]);
    const { output, gateWeights, loadBalancingLoss } = moe.apply(x, { guide, training: false });
    expectTensorsClose(gateWeights, [
      [0.75, 0.25],
      [0.5, 0.5],
    ]);
    // Row 0: 0.75·[1, 3] + 0.25·[2.5, −1]. Row 1: 0.5·[0, 0] + 0.5·[0.5, 1].
    expectTensorsClose(output, [
      [1.375, 2],
      [0.25, 0.5],
    ]);
    // Importance [1.25, 0.75]: mean 1, variance 0.0625.
    expect(loadBalancingLoss.dataSync()[0]).toBeCloseTo(0.0625, 6);
  });

  it("gates from x itself with gating 'self' and then ignores the guide", () => {
    const moe = createMixtureOfExperts({ ...small, gating: 'self' });
    assignHandExperts(moe.variables);
    moe.variables[4]!.assign(
      tf.tensor2d([
        [HALF_LN_3, -HALF_LN_3],
        [0, 0],
      ]),
    ); // x = [1, 2] → logits [ln3/2, −ln3/2]
    for (const guide of [
      undefined,
      tf.tensor2d([
        [9, 9],
        [9, 9],
      ]),
      tf.zeros([7]),
    ]) {
      const { output, gateWeights } = moe.apply(x, { guide, training: false });
      expectTensorsClose(gateWeights, [
        [0.75, 0.25],
        [0.5, 0.5],
      ]);
      expectTensorsClose(output, [
        [1.375, 2],
        [0.25, 0.5],
      ]);
    }
  });

  it('divides the gate logits by the temperature', () => {
    const moe = createMixtureOfExperts({ ...small, temperature: 0.5 });
    moe.variables[4]!.assign(
      tf.tensor2d([
        [1, -1],
        [0, 0],
      ]),
    );
    // logits [ln3/2, −ln3/2] / 0.5 = [ln3, −ln3]: weights [9/10, 1/10].
    const { gateWeights } = moe.apply(x, {
      guide: tf.tensor2d([
        [HALF_LN_3, 0],
        [0, 0],
      ]),
      training: false,
    });
    expectTensorsClose(gateWeights, [
      [0.9, 0.1],
      [0.5, 0.5],
    ]);
  });

  it('starts every row uniform over the experts, with a zero load-balancing loss', () => {
    const moe = createMixtureOfExperts({ inputSize: 3, outputSize: 2, guideSize: 4, numExperts: 4 });
    const { gateWeights, loadBalancingLoss } = moe.apply(syntheticTensor([5, 3], 1), {
      guide: syntheticTensor([5, 4], 2),
      training: false,
    });
    expectTensorsClose(gateWeights, tf.fill([5, 4], 0.25));
    expect(loadBalancingLoss.dataSync()[0]).toBeCloseTo(0, 6);
  });

  it('keeps the leading shape of x: vectors, batches and sequences', () => {
    const moe = createMixtureOfExperts({ inputSize: 3, outputSize: 5, guideSize: 4, numExperts: 3, seed: 2 });
    const single = moe.apply(syntheticTensor([3], 1), { guide: syntheticTensor([4], 2), training: false });
    expect([single.output.shape, single.gateWeights.shape]).toEqual([[5], [3]]);
    const sequences = moe.apply(syntheticTensor([2, 6, 3], 3), {
      guide: syntheticTensor([2, 6, 4], 4),
      training: false,
    });
    expect([sequences.output.shape, sequences.gateWeights.shape, sequences.loadBalancingLoss.shape]).toEqual([
      [2, 6, 5],
      [2, 6, 3],
      [],
    ]);
    // Each position is mixed on its own: the [2, 6] call equals the flattened [12] one.
    const flat = moe.apply(tf.reshape(syntheticTensor([2, 6, 3], 3), [12, 3]), {
      guide: tf.reshape(syntheticTensor([2, 6, 4], 4), [12, 4]),
      training: false,
    });
    expectTensorsClose(tf.reshape(sequences.output, [12, 5]), flat.output);
  });

  it('routes each row to its top-k experts only, the others weighted exactly 0', () => {
    const moe = createMixtureOfExperts({
      inputSize: 3,
      outputSize: 2,
      guideSize: 4,
      numExperts: 5,
      topK: 2,
      gateInitializer: 'normal(1)',
      seed: 3,
    });
    const { gateWeights } = moe.apply(syntheticTensor([6, 3], 1), {
      guide: syntheticTensor([6, 4], 2),
      training: false,
    });
    for (let row = 0; row < 6; row++) {
      const weights = values(gateWeights).slice(row * 5, row * 5 + 5);
      expect(weights.filter((weight) => weight === 0)).toHaveLength(3);
      expect(weights.reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(1, 6);
    }
  });

  it('with top-1 routing outputs exactly the chosen expert', () => {
    const moe = createMixtureOfExperts({ ...small, topK: 1 });
    assignHandExperts(moe.variables);
    moe.variables[4]!.assign(
      tf.tensor2d([
        [1, -1],
        [0, 0],
      ]),
    );
    // Row 0 prefers expert 0 → [1, 3]; row 1 prefers expert 1 (logits [−1, 1]) → [0.5, 1].
    const { output } = moe.apply(x, {
      guide: tf.tensor2d([
        [1, 0],
        [-1, 0],
      ]),
      training: false,
    });
    expectTensorsClose(output, [
      [1, 3],
      [0.5, 1],
    ]);
  });

  it('uses dropout and gate noise only while training, reproducibly per seed', () => {
    const moe = createMixtureOfExperts({
      inputSize: 4,
      outputSize: 3,
      guideSize: 2,
      noisyGating: true,
      dropout: 0.5,
      seed: 4,
    });
    const input = syntheticTensor([3, 4], 1);
    const guide = syntheticTensor([3, 2], 2);
    const evaluation = values(moe.apply(input, { guide, training: false }).output);
    expect(values(moe.apply(input, { guide, training: false }).output)).toEqual(evaluation);
    const trained = moe.apply(input, { guide, training: true, seed: 5 });
    expect(values(trained.output)).not.toEqual(evaluation);
    expect(values(trained.gateWeights)).not.toEqual(values(moe.apply(input, { guide, training: false }).gateWeights));
    expect(values(moe.apply(input, { guide, training: true, seed: 5 }).output)).toEqual(values(trained.output));
    expect(values(moe.apply(input, { guide, training: true }).output)).not.toEqual(
      values(moe.apply(input, { guide, training: true }).output),
    );
  });

  it('draws training seeds from its own seed, and evaluation calls do not shift them', () => {
    const options = { inputSize: 4, outputSize: 3, guideSize: 2, noisyGating: true, dropout: 0.5, seed: 6 };
    const first = createMixtureOfExperts({ ...options, name: 'first' });
    const second = createMixtureOfExperts({ ...options, name: 'second' });
    const input = syntheticTensor([3, 4], 1);
    const guide = syntheticTensor([3, 2], 2);
    second.apply(input, { guide, training: false });
    expect(values(second.apply(input, { guide, training: true }).output)).toEqual(
      values(first.apply(input, { guide, training: true }).output),
    );
  });

  it('counts only the rows of `mask` in the load-balancing loss', () => {
    const moe = createMixtureOfExperts(small);
    moe.variables[4]!.assign(
      tf.tensor2d([
        [1, -1],
        [0, 0],
      ]),
    );
    const guide = tf.tensor2d([
      [HALF_LN_3, 0],
      [0, 0],
    ]);
    // Only row 0 counts: importance [0.75, 0.25], mean 0.5, variance 0.0625, CV² 0.25.
    const { loadBalancingLoss } = moe.apply(x, { guide, training: false, mask: tf.tensor1d([1, 0]) });
    expect(loadBalancingLoss.dataSync()[0]).toBeCloseTo(0.25, 6);
  });

  it('resolves every default and records the seed it used', () => {
    const { config } = createMixtureOfExperts({ inputSize: 8, outputSize: 4, guideSize: 6 });
    expect({ ...config, seed: 0 }).toEqual({
      inputSize: 8,
      outputSize: 4,
      guideSize: 6,
      gating: 'guide',
      numExperts: 4,
      expert: 'linear',
      expertHiddenSize: 4,
      temperature: 1,
      noisyGating: false,
      topK: 4,
      dropout: 0,
      initializer: 'glorot-uniform',
      gateInitializer: 'zeros',
      name: 'moe',
      seed: 0,
    });
    expect(Number.isInteger(config.seed)).toBe(true);
  });

  it('names its variables moe/expert_k/…, moe/gate/… and moe/gate_noise/kernel', () => {
    expect(createMixtureOfExperts({ ...small, noisyGating: true }).variables.map((variable) => variable.name)).toEqual([
      'moe/expert_0/kernel',
      'moe/expert_0/bias',
      'moe/expert_1/kernel',
      'moe/expert_1/bias',
      'moe/gate/kernel',
      'moe/gate/bias',
      'moe/gate_noise/kernel',
    ]);
    const mlp = createMixtureOfExperts({
      ...small,
      expert: 'mlp',
      expertHiddenSize: 3,
      gating: 'self',
      name: 'text/moe',
    });
    expect(mlp.variables.map((variable) => [variable.name, variable.shape])).toEqual([
      ['text/moe/expert_0/hidden/kernel', [2, 3]],
      ['text/moe/expert_0/hidden/bias', [3]],
      ['text/moe/expert_0/output/kernel', [3, 2]],
      ['text/moe/expert_0/output/bias', [2]],
      ['text/moe/expert_1/hidden/kernel', [2, 3]],
      ['text/moe/expert_1/hidden/bias', [3]],
      ['text/moe/expert_1/output/kernel', [3, 2]],
      ['text/moe/expert_1/output/bias', [2]],
      ['text/moe/gate/kernel', [2, 2]], // self gating reads x: [inputSize, K]
      ['text/moe/gate/bias', [2]],
    ]);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const weightsOf = (name: string, seed: number) =>
      createMixtureOfExperts({ ...small, name, seed, gateInitializer: 'normal(1)' }).variables.map((variable) =>
        values(variable),
      );
    const first = weightsOf('a', 7);
    expect(weightsOf('b', 7)).toEqual(first);
    expect(weightsOf('c', 8)).not.toEqual(first);
  });

  it('matches finite differences for x, the guide and every variable: linear, noisy, top-k, dropout', () => {
    const moe = createMixtureOfExperts({
      inputSize: 3,
      outputSize: 2,
      guideSize: 2,
      numExperts: 3,
      topK: 2,
      noisyGating: true,
      dropout: 0.3,
      temperature: 0.7,
      gateInitializer: 'normal(1)',
      seed: 8,
    });
    const input = syntheticTensor([2, 2, 3], 1);
    const guide = syntheticTensor([2, 2, 2], 2);
    const weights = syntheticTensor([2, 2, 2], 3);
    expectGradientsClose(
      (xs, gs) => {
        const { output, loadBalancingLoss } = moe.apply(xs!, { guide: gs!, training: true, seed: 9 });
        return tf.add(tf.sum(tf.mul(output, weights)), loadBalancingLoss);
      },
      [input, guide, ...moe.variables],
    );
  });

  it('matches finite differences for x and every variable: MLP experts, self gating', () => {
    const moe = createMixtureOfExperts({
      inputSize: 3,
      outputSize: 2,
      numExperts: 2,
      expert: 'mlp',
      expertHiddenSize: 3,
      gating: 'self',
      gateInitializer: 'normal(0.5)',
      seed: 10,
    });
    const input = syntheticTensor([4, 3], 4);
    const weights = syntheticTensor([4, 2], 5);
    expectGradientsClose(
      (xs) => tf.mul(moe.apply(xs!, { training: false }).output, weights),
      [input, ...moe.variables],
    );
  });

  it('trains with a stock tfjs optimizer: every variable moves and the loss falls', () => {
    const moe = createMixtureOfExperts({
      inputSize: 3,
      outputSize: 2,
      guideSize: 2,
      numExperts: 2,
      noisyGating: true,
      seed: 11,
    });
    const input = syntheticTensor([8, 3], 6);
    const guide = syntheticTensor([8, 2], 7);
    const target = syntheticTensor([8, 2], 8);
    const before = moe.variables.map((variable) => values(variable));
    const optimizer = tf.train.adam(0.05);
    const lossAt = (step: number): number => {
      const loss = optimizer.minimize(
        () =>
          tf.losses.meanSquaredError(
            target,
            moe.apply(input, { guide, training: true, seed: step }).output,
          ) as tf.Scalar,
        true,
        [...moe.variables],
      )!;
      const value = loss.dataSync()[0]!;
      loss.dispose();
      return value;
    };
    const first = lossAt(0);
    let last = first;
    for (let step = 1; step < 30; step++) last = lossAt(step);
    expect(last).toBeLessThan(0.8 * first);
    moe.variables.forEach((variable, index) => {
      expect(values(variable), variable.name).not.toEqual(before[index]);
    });
  });

  it('saves and restores its variables with @imecd/nn', () => {
    const options = { ...small, expert: 'mlp' as const, gateInitializer: 'normal(1)' as const };
    const input = syntheticTensor([3, 2], 1);
    const guide = syntheticTensor([3, 2], 2);
    const original = createMixtureOfExperts({ ...options, seed: 12 });
    const expected = values(original.apply(input, { guide, training: false }).output);
    const saved = serializeVariables(original.variables);
    original.dispose();
    const restored = createMixtureOfExperts({ ...options, seed: 13 });
    expect(values(restored.apply(input, { guide, training: false }).output)).not.toEqual(expected);
    restoreVariables(restored.variables, saved);
    expect(values(restored.apply(input, { guide, training: false }).output)).toEqual(expected);
  });

  it('rejects invalid options, naming the option', () => {
    const invalid: [Partial<MixtureOfExpertsOptions>, RegExp][] = [
      [{ inputSize: 0 }, /inputSize/],
      [{ outputSize: 1.5 }, /outputSize/],
      [{ guideSize: undefined }, /guideSize.*required/],
      [{ guideSize: -2 }, /guideSize/],
      [{ gating: 'cross' as 'self' }, /gating.*'guide', 'self'/],
      [{ numExperts: 0 }, /numExperts/],
      [{ topK: 3 }, /topK.*at most numExperts 2/],
      [{ topK: 0 }, /topK/],
      [{ expert: 'conv' as 'mlp' }, /expert/],
      [{ expertHiddenSize: 0 }, /expertHiddenSize/],
      [{ temperature: 0 }, /temperature/],
      [{ temperature: Number.NaN }, /temperature/],
      [{ noisyGating: 'yes' as unknown as boolean }, /noisyGating/],
      [{ dropout: 1 }, /dropout/],
      [{ initializer: 'normal(0)' }, /Invalid initializer/],
      [{ gateInitializer: 'ones' as 'zeros' }, /gateInitializer/],
      [{ name: 'a//b' }, /name/],
      [{ seed: Number.POSITIVE_INFINITY }, /seed/],
    ];
    for (const [override, message] of invalid) {
      expect(() => createMixtureOfExperts({ ...small, ...override }), message.source).toThrow(InvalidArgumentError);
      expect(() => createMixtureOfExperts({ ...small, ...override }), message.source).toThrow(message);
    }
  });

  it('rejects inputs, guides and masks whose shapes do not fit, naming both shapes', () => {
    const moe = createMixtureOfExperts({ ...small, guideSize: 3 });
    const guide = tf.zeros([2, 3]);
    expect(() => moe.apply(tf.zeros([2, 5]), { guide, training: false })).toThrow(ShapeMismatchError);
    expect(() => moe.apply(tf.zeros([2, 5]), { guide, training: false })).toThrow(
      /x: expected \[\.\.\., 2\], got \[2, 5\]/,
    );
    expect(() => moe.apply(x, { training: false })).toThrow(InvalidArgumentError);
    expect(() => moe.apply(x, { training: false })).toThrow(/guide.*\[2, 3\]/);
    expect(() => moe.apply(x, { guide: tf.zeros([3, 3]), training: false })).toThrow(
      /guide: expected \[2, 3\].*got \[3, 3\]/,
    );
    expect(() => moe.apply(x, { guide: tf.zeros([2, 2]), training: false })).toThrow(ShapeMismatchError);
    expect(() => moe.apply(x, { guide, training: false, mask: tf.ones([2, 1]) })).toThrow(
      /mask: expected \[2\].*got \[2, 1\]/,
    );
  });

  it('refuses a taken name without leaving half a module behind, and frees its names on dispose', () => {
    createDense({ inputSize: 2, outputSize: 2, name: 'busy/gate' });
    expect(() => createMixtureOfExperts({ ...small, name: 'busy' })).toThrow(/already exists/);
    expect(tf.engine().registeredVariables['busy/expert_0/kernel']).toBeUndefined();
    createMixtureOfExperts(small).dispose();
    expect(() => createMixtureOfExperts(small)).not.toThrow();
  });

  it('leaks no tensors, forward and backward', async () => {
    const moe = createMixtureOfExperts({
      inputSize: 3,
      outputSize: 2,
      guideSize: 2,
      numExperts: 3,
      topK: 2,
      noisyGating: true,
      dropout: 0.2,
      expert: 'mlp',
      seed: 14,
    });
    const input = syntheticTensor([2, 3, 3], 1);
    const guide = syntheticTensor([2, 3, 2], 2);
    const mask = tf.tensor2d([
      [0, 1, 1],
      [1, 1, 1],
    ]);
    await expectNoLeakedTensors(() => moe.apply(input, { guide, mask, training: true, seed: 1 }));
    await expectNoLeakedTensors(() =>
      tf.variableGrads(() => {
        const { output, loadBalancingLoss } = moe.apply(input, { guide, mask, training: true, seed: 1 });
        return tf.add(tf.sum(output), loadBalancingLoss) as tf.Scalar;
      }),
    );
  });
});
