import { selectBackend } from '@imecd/backend';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticPaddingMask, syntheticTensor } from './synthetic.test-helper';
import { expectTensorsClose } from './testing/index';
import { createTransformerEncoder } from './transformer-encoder';

// The engine is a process-wide singleton and importing the wasm backend makes it the preferred
// one: start on cpu explicitly and leave cpu selected for whatever runs next.
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(async () => {
  await tf.setBackend('cpu');
  tf.disposeVariables();
});

describe('createTransformerEncoder on wasm', () => {
  it('agrees with the cpu backend on states and on every gradient', async () => {
    const encoder = createTransformerEncoder({
      hiddenSize: 8,
      numHeads: 2,
      innerSize: 16,
      numLayers: 2,
      maxLength: 6,
      dropout: 0,
      attentionDropout: 0,
      seed: 21,
      initializer: 'normal(0.3)',
    });
    const inputs = syntheticTensor<tf.Rank.R3>([3, 6, 8], 22);
    const mask = syntheticPaddingMask([6, 4, 1], 6);
    const weights = tf.mul(syntheticTensor([3, 6, 8], 23), tf.expandDims(mask, -1));
    const run = () => {
      const states = encoder.apply(inputs, mask, { training: false });
      const gradients = tf.grads((x: tf.Tensor, ..._variables: tf.Tensor[]) =>
        tf.sum(tf.mul(encoder.apply(x as tf.Tensor3D, mask, { training: false }), weights)),
      )([inputs, ...encoder.variables]);
      return { states: states.arraySync(), gradients: gradients.map((gradient) => gradient.arraySync()) };
    };

    const onCpu = run();
    // wasm as the apps run it, with @imecd/backend's kernels registered: they must give the
    // plain ops' results.
    await selectBackend({ backend: 'wasm', env: {} });
    expect(tf.getBackend()).toBe('wasm');
    const onWasm = run();
    await tf.setBackend('cpu');

    expectTensorsClose(tf.tensor(onWasm.states), onCpu.states, 1e-4);
    expect(onWasm.gradients.length).toBe(encoder.variables.length + 1);
    onWasm.gradients.forEach((gradient, index) => {
      expectTensorsClose(tf.tensor(gradient), onCpu.gradients[index]!, 1e-4);
    });
  });

  it.each([
    ['post-LN', false],
    ['pre-LN', true],
  ])(
    'applyLastWithPrefix gives applyLast to the bit (%s): reverse steps score as before keys and values were cached',
    async (_, normFirst) => {
      await selectBackend({ backend: 'wasm', env: {} });
      try {
        const encoder = createTransformerEncoder({
          hiddenSize: 64,
          numHeads: 2,
          maxLength: 50,
          normFirst,
          seed: 24,
          name: `cached_${normFirst}`,
        });
        const inputs = syntheticTensor<tf.Rank.R3>([37, 50, 64], 25);
        const mask = syntheticPaddingMask(
          Array.from({ length: 37 }, (_, row) => [50, 12, 3, 1, 49][row % 5]!),
          50,
        );
        const lastInput = syntheticTensor<tf.Rank.R2>([37, 64], 26);
        const replaced = tf.concat(
          [tf.slice(inputs, [0, 0, 0], [37, 49, 64]), tf.reshape(lastInput, [37, 1, 64])],
          1,
        ) as tf.Tensor3D;
        const prefix = encoder.prefix(inputs, mask);
        const cached = encoder.applyLastWithPrefix(prefix, lastInput).dataSync();
        const whole = encoder.applyLast(replaced, mask, { training: false }).dataSync();
        prefix.dispose();
        expect(Array.from(cached)).toEqual(Array.from(whole));
      } finally {
        await tf.setBackend('cpu');
      }
    },
  );
});
