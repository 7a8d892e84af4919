import { selectBackend } from '@imecd/backend';
import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createConditionalDenoiser } from './create-conditional-denoiser';
import { syntheticTensor } from './synthetic.test-helper';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});
afterEach(() => {
  tf.disposeVariables();
});

const steps = (...values: number[]) => tf.tensor1d(values, 'int32');

describe('createConditionalDenoiser', () => {
  it('resolves its defaults and names its variables under its scope', () => {
    const mlp = createConditionalDenoiser({ dataSize: 3, seed: 1 });
    expect(mlp.config).toMatchObject({
      dataSize: 3,
      conditionSize: 3,
      architecture: 'mlp',
      hiddenSize: 6,
      numLayers: 2,
      timeEmbeddingSize: 6,
      dropout: 0,
      name: 'denoiser',
      seed: 1,
    });
    expect(mlp.variables.map((variable) => variable.name)).toEqual([
      'denoiser/time/inner/kernel',
      'denoiser/time/inner/bias',
      'denoiser/time/outer/kernel',
      'denoiser/time/outer/bias',
      'denoiser/hidden_0/kernel',
      'denoiser/hidden_0/bias',
      'denoiser/hidden_1/kernel',
      'denoiser/hidden_1/bias',
      'denoiser/output/kernel',
      'denoiser/output/bias',
    ]);
    expect(mlp.variables[4]!.shape).toEqual([3 + 3 + 6, 6]); // [x_t ‖ c ‖ τ(t)] → H
    const transformer = createConditionalDenoiser({
      dataSize: 3,
      conditionSize: 5,
      architecture: 'transformer',
      hiddenSize: 4,
      numLayers: 1,
      name: 'tower',
      seed: 1,
    });
    const names = transformer.variables.map((variable) => variable.name);
    expect(names).toContain('tower/condition_projection/kernel');
    expect(names).toContain('tower/noisy_projection/kernel');
    expect(names).toContain('tower/transformer/layer_0/attention/query/kernel');
    expect(names.at(-2)).toBe('tower/output/kernel');
  });

  it('concatenates [x_t ‖ c ‖ τ(t)] in that order (a hand-set single linear layer reads x_t, then c)', () => {
    const denoiser = createConditionalDenoiser({ dataSize: 2, conditionSize: 2, hiddenSize: 4, numLayers: 0, seed: 1 });
    const kernel = denoiser.variables.find((variable) => variable.name === 'denoiser/output/kernel')!;
    const noisy = tf.tensor2d([[1, 2]]);
    const condition = tf.tensor2d([[5, -3]]);
    const readRows = (first: number) =>
      tf.tensor2d(Array.from({ length: 8 }, (_, row) => [row === first ? 1 : 0, row === first + 1 ? 1 : 0]));
    kernel.assign(readRows(0));
    expectTensorsClose(denoiser.apply({ noisy, condition, timesteps: steps(3), training: false }), [[1, 2]]);
    kernel.assign(readRows(2));
    expectTensorsClose(denoiser.apply({ noisy, condition, timesteps: steps(3), training: false }), [[5, -3]]);
  });

  it('gives [B, D] that depends on x_t, c and t, for both architectures', () => {
    for (const architecture of ['mlp', 'transformer'] as const) {
      const denoiser = createConditionalDenoiser({
        dataSize: 2,
        conditionSize: 3,
        architecture,
        hiddenSize: 4,
        seed: 2,
        name: architecture,
      });
      const noisy = syntheticTensor<tf.Rank.R2>([2, 2], 1);
      const condition = syntheticTensor<tf.Rank.R2>([2, 3], 2);
      const base = denoiser.apply({ noisy, condition, timesteps: steps(0, 5), training: false });
      expect(base.shape).toEqual([2, 2]);
      const changed = [
        denoiser.apply({ noisy: tf.add(noisy, 1), condition, timesteps: steps(0, 5), training: false }),
        denoiser.apply({ noisy, condition: tf.add(condition, 1), timesteps: steps(0, 5), training: false }),
        denoiser.apply({ noisy, condition, timesteps: steps(1, 6), training: false }),
      ];
      for (const output of changed) expect(tf.max(tf.abs(tf.sub(output, base))).dataSync()[0]).toBeGreaterThan(1e-4);
    }
  });

  it('is deterministic per seed and applies dropout only while training', () => {
    const input = {
      noisy: syntheticTensor<tf.Rank.R2>([4, 2], 1),
      condition: syntheticTensor<tf.Rank.R2>([4, 2], 2),
      timesteps: steps(0, 1, 2, 3),
    };
    const first = createConditionalDenoiser({ dataSize: 2, seed: 9, name: 'a', dropout: 0.5 });
    const again = createConditionalDenoiser({ dataSize: 2, seed: 9, name: 'b', dropout: 0.5 });
    const evaluation = first.apply({ ...input, training: false });
    expectTensorsClose(again.apply({ ...input, training: false }), evaluation, 0);
    expectTensorsClose(first.apply({ ...input, training: false }), evaluation, 0);
    const trained = first.apply({ ...input, training: true });
    expect(tf.max(tf.abs(tf.sub(trained, evaluation))).dataSync()[0]).toBeGreaterThan(1e-3);
  });

  it('matches finite differences for x_t, c and every variable (MLP)', () => {
    const denoiser = createConditionalDenoiser({
      dataSize: 2,
      conditionSize: 2,
      hiddenSize: 3,
      timeEmbeddingSize: 2,
      numLayers: 1,
      seed: 3,
    });
    const weights = syntheticTensor([2, 2], 5);
    const timesteps = steps(1, 4);
    expectGradientsClose(
      (noisy, condition) =>
        tf.mul(
          denoiser.apply({
            noisy: noisy as tf.Tensor2D,
            condition: condition as tf.Tensor2D,
            timesteps,
            training: false,
          }),
          weights,
        ),
      [syntheticTensor([2, 2], 6), syntheticTensor([2, 2], 7), ...denoiser.variables],
    );
  });

  it('matches finite differences for x_t, c and every variable (Transformer)', () => {
    const denoiser = createConditionalDenoiser({
      dataSize: 2,
      conditionSize: 2,
      architecture: 'transformer',
      hiddenSize: 2,
      numHeads: 1,
      numLayers: 1,
      seed: 3,
    });
    const weights = syntheticTensor([2, 2], 5);
    const timesteps = steps(1, 4);
    expectGradientsClose(
      (noisy, condition) =>
        tf.mul(
          denoiser.apply({
            noisy: noisy as tf.Tensor2D,
            condition: condition as tf.Tensor2D,
            timesteps,
            training: false,
          }),
          weights,
        ),
      [syntheticTensor([2, 2], 6), syntheticTensor([2, 2], 7), ...denoiser.variables],
    );
  });

  it('rejects bad options before creating any variable', () => {
    expect(() => createConditionalDenoiser({ dataSize: 0 })).toThrow(InvalidArgumentError);
    expect(() => createConditionalDenoiser({ dataSize: 2, architecture: 'unet' as never })).toThrow(/architecture/);
    expect(() => createConditionalDenoiser({ dataSize: 2, numHeads: 2 })).toThrow(/numHeads.*only the 'transformer'/);
    expect(() => createConditionalDenoiser({ dataSize: 3, architecture: 'transformer', numHeads: 4 })).toThrow(
      /must divide hiddenSize 6/,
    );
    expect(() => createConditionalDenoiser({ dataSize: 2, timeEmbeddingSize: 1 })).toThrow(/timeEmbeddingSize/);
    expect(() => createConditionalDenoiser({ dataSize: 2, numLayers: -1 })).toThrow(/numLayers/);
    expect(() => createConditionalDenoiser({ dataSize: 2, dropout: 1 })).toThrow(/dropout/);
    expect(() => createConditionalDenoiser({ dataSize: 2, initializer: 'normal(-1)' })).toThrow(/initializer/);
    expect(() => createConditionalDenoiser({ dataSize: 2, name: 'a//b' })).toThrow(/name/);
    expect(Object.keys(tf.engine().registeredVariables)).toEqual([]);
  });

  it('builds all or nothing when a name is taken, and frees its names on dispose', () => {
    const taken = tf.variable(tf.zeros([1]), true, 'denoiser/output/kernel');
    expect(() => createConditionalDenoiser({ dataSize: 2 })).toThrow(/already exists/);
    expect(Object.keys(tf.engine().registeredVariables)).toEqual(['denoiser/output/kernel']);
    taken.dispose();
    createConditionalDenoiser({ dataSize: 2 }).dispose();
    expect(() => createConditionalDenoiser({ dataSize: 2 })).not.toThrow();
  });

  it('rejects inputs of the wrong shape, naming them', () => {
    const denoiser = createConditionalDenoiser({ dataSize: 2, conditionSize: 3, seed: 1 });
    const noisy = tf.zeros([2, 2]) as tf.Tensor2D;
    const condition = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() =>
      denoiser.apply({ noisy: tf.zeros([2, 3]) as tf.Tensor2D, condition, timesteps: steps(0, 0), training: false }),
    ).toThrow(ShapeMismatchError);
    expect(() =>
      denoiser.apply({ noisy, condition: tf.zeros([1, 3]) as tf.Tensor2D, timesteps: steps(0, 0), training: false }),
    ).toThrow(/condition.*\[2, 3\]/);
    expect(() => denoiser.apply({ noisy, condition, timesteps: steps(0), training: false })).toThrow(/timesteps/);
  });

  it('leaks no tensors, forward and backward, for both architectures', async () => {
    for (const architecture of ['mlp', 'transformer'] as const) {
      const denoiser = createConditionalDenoiser({
        dataSize: 2,
        architecture,
        hiddenSize: 4,
        dropout: 0.1,
        seed: 1,
        name: architecture,
      });
      const input = {
        noisy: tf.ones([2, 2]) as tf.Tensor2D,
        condition: tf.ones([2, 2]) as tf.Tensor2D,
        timesteps: steps(0, 1),
        training: true,
      };
      await expectNoLeakedTensors(() => denoiser.apply(input));
      await expectNoLeakedTensors(() => tf.variableGrads(() => tf.sum(denoiser.apply(input)) as tf.Scalar));
    }
  });
});
