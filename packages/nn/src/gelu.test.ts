import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { gelu } from './gelu';
import { syntheticTensor } from './synthetic.test-helper';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose } from './testing/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('gelu', () => {
  it('equals x·Φ(x), hand-computed from the normal CDF', () => {
    // Φ(1) = 0.8413447, Φ(−1) = 0.1586553, Φ(2) = 0.9772499, Φ(−3) = 0.0013499.
    expectTensorsClose(gelu(tf.tensor1d([0, 1, -1, 2, -3])), [0, 0.8413447, -0.1586553, 1.9544997, -0.0040497]);
  });

  it('is not the tanh approximation', () => {
    // The tanh form gives 1.9545977 at 2, the erf form 1.9544997: 1e-6 tells them apart.
    expectTensorsClose(gelu(tf.scalar(2)), 1.9544997, 1e-6);
  });

  it('matches finite differences', () => {
    const input = syntheticTensor([2, 5], 1, 2);
    const weights = syntheticTensor([2, 5], 2);
    expectGradientsClose((x) => tf.mul(gelu(x!), weights), [input]);
  });

  it('leaks no tensors, forward and backward', async () => {
    const input = syntheticTensor([2, 3], 3);
    await expectNoLeakedTensors(() => tf.grad((x: tf.Tensor) => gelu(x))(input));
  });
});
