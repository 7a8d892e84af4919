import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createExpertBank, type ExpertBankOptions } from './expert-bank';
import { syntheticTensor, useCpuBackend } from './synthetic.test-helper';

beforeAll(useCpuBackend);
afterEach(() => {
  tf.disposeVariables();
});

const linearOptions: ExpertBankOptions = {
  inputSize: 2,
  outputSize: 2,
  numExperts: 2,
  kind: 'linear',
  hiddenSize: 2,
  name: 'moe',
  seed: 1,
  initializer: 'glorot-uniform',
};

/** Assigns hand-picked values to the variables, in `variables` order. */
function assignAll(variables: readonly tf.Variable[], valuesInOrder: tf.TensorLike[]): void {
  variables.forEach((variable, index) => {
    variable.assign(tf.tensor(valuesInOrder[index]!, variable.shape));
  });
}

describe('createExpertBank', () => {
  it('computes every linear expert x·W_k + c_k, hand-set weights', () => {
    const bank = createExpertBank(linearOptions);
    assignAll(bank.variables, [
      [
        [1, 0],
        [0, 1],
      ],
      [0, 1],
      [
        [2, 1],
        [0, -1],
      ],
      [0.5, 0],
    ]);
    const outputs = bank.apply(
      tf.tensor2d([
        [1, 2],
        [0, -1],
      ]),
    );
    expect(outputs.shape).toEqual([2, 2, 2]); // [N, K, out]
    // Row [1, 2]: E_0 = [1, 2] + [0, 1], E_1 = [2, 1 − 2] + [0.5, 0]. Row [0, −1]: E_0 = [0, 0], E_1 = [0.5, 1].
    expectTensorsClose(outputs, [
      [
        [1, 3],
        [2.5, -1],
      ],
      [
        [0, 0],
        [0.5, 1],
      ],
    ]);
  });

  it('computes every MLP expert GELU(x·W_k + c_k)·V_k + e_k, hand-set weights', () => {
    const bank = createExpertBank({ ...linearOptions, kind: 'mlp', outputSize: 1 });
    assignAll(bank.variables, [
      [
        [1, 0],
        [0, 1],
      ],
      [0, 0],
      [[1], [1]],
      [0], // expert 0
      [
        [2, 0],
        [0, 0.5],
      ],
      [0, 0],
      [[1], [-1]],
      [0.5], // expert 1
    ]);
    // x = [1, −1]. E_0 = GELU(1) + GELU(−1) = 0.8413447 − 0.1586553; E_1 = GELU(2) − GELU(−0.5) + 0.5.
    expectTensorsClose(bank.apply(tf.tensor2d([[1, -1]])), [[[0.6826895], [1.9544997 + 0.1542688 + 0.5]]]);
  });

  it('names each expert under <name>/expert_k, expert by expert', () => {
    expect(createExpertBank(linearOptions).variables.map((variable) => variable.name)).toEqual([
      'moe/expert_0/kernel',
      'moe/expert_0/bias',
      'moe/expert_1/kernel',
      'moe/expert_1/bias',
    ]);
    expect(
      createExpertBank({ ...linearOptions, kind: 'mlp', numExperts: 1, name: 'image' }).variables.map(
        (variable) => variable.name,
      ),
    ).toEqual([
      'image/expert_0/hidden/kernel',
      'image/expert_0/hidden/bias',
      'image/expert_0/output/kernel',
      'image/expert_0/output/bias',
    ]);
  });

  it('gives each expert its own initial weights', () => {
    const bank = createExpertBank(linearOptions);
    expect(Array.from(bank.variables[0]!.dataSync())).not.toEqual(Array.from(bank.variables[2]!.dataSync()));
  });

  it('matches finite differences for the input and every weight, linear and MLP', () => {
    const rows = syntheticTensor<tf.Rank.R2>([3, 2], 2);
    for (const kind of ['linear', 'mlp'] as const) {
      const bank = createExpertBank({ ...linearOptions, kind, hiddenSize: 3, numExperts: 3, name: kind, seed: 3 });
      const weights = syntheticTensor([3, 3, 2], 4);
      expectGradientsClose((x) => tf.mul(bank.apply(x as tf.Tensor2D), weights), [rows, ...bank.variables]);
    }
  });

  it('leaks no tensors, forward and backward', async () => {
    const bank = createExpertBank({ ...linearOptions, kind: 'mlp' });
    const rows = syntheticTensor<tf.Rank.R2>([4, 2], 5);
    await expectNoLeakedTensors(() => tf.variableGrads(() => tf.sum(bank.apply(rows))));
  });
});
