import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCausalAttentionBias } from './causal-attention-bias';
import { createMultiHeadSelfAttention } from './multi-head-self-attention';
import { expectNoLeakedTensors, expectTensorsClose } from './testing/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  tf.disposeVariables();
});

describe('createMultiHeadSelfAttention', () => {
  it('averages the allowed values when every score is equal, hand-computed', () => {
    const attention = createMultiHeadSelfAttention({ hiddenSize: 2, numHeads: 2, seed: 1 });
    const [queryKernel, , keyKernel, , valueKernel, , outputKernel] = attention.variables;
    // Zero queries and keys give equal scores, so each query averages the values it may see;
    // identity value and output projections make those values the inputs themselves.
    queryKernel!.assign(tf.zeros([2, 2]));
    keyKernel!.assign(tf.zeros([2, 2]));
    valueKernel!.assign(tf.eye(2));
    outputKernel!.assign(tf.eye(2));
    const x = tf.tensor3d([
      [
        [2, 0],
        [4, 6],
        [0, 3],
      ],
    ]); // [1, 3, 2]
    const causal = attention.apply(x, createCausalAttentionBias(tf.tensor2d([[1, 1, 1]])), { training: false });
    expectTensorsClose(causal, [
      [
        [2, 0],
        [3, 3],
        [2, 3],
      ],
    ]);
    const padded = attention.apply(x, createCausalAttentionBias(tf.tensor2d([[0, 1, 1]])), { training: false });
    expectTensorsClose(tf.slice(padded, [0, 1, 0], [1, 2, 2]), [
      [
        [4, 6],
        [2, 4.5],
      ],
    ]);
  });

  it('names query, key, value and output projections under its scope', () => {
    const names = createMultiHeadSelfAttention({ hiddenSize: 4, numHeads: 2, name: 'mix', seed: 1 }).variables.map(
      (variable) => variable.name,
    );
    expect(names).toEqual(
      ['query', 'key', 'value', 'output'].flatMap((role) => [`mix/${role}/kernel`, `mix/${role}/bias`]),
    );
  });

  it('rejects heads that do not divide the width, and inputs of the wrong width', () => {
    expect(() => createMultiHeadSelfAttention({ hiddenSize: 6, numHeads: 4 })).toThrow(InvalidArgumentError);
    const attention = createMultiHeadSelfAttention({ hiddenSize: 4, numHeads: 2, seed: 1 });
    expect(() => attention.apply(tf.zeros([1, 3, 2]), tf.zeros([1, 1, 3, 3]), { training: false })).toThrow(
      ShapeMismatchError,
    );
  });

  it('applyLastCached: the last position over cached keys and values equals apply with lastQueryOnly', () => {
    const attention = createMultiHeadSelfAttention({ hiddenSize: 6, numHeads: 3, seed: 2, initializer: 'normal(0.5)' });
    const x = tf.randomNormal([2, 5, 6], 0, 1, 'float32', 3) as tf.Tensor3D; // [B, n + 1, D]
    const bias = createCausalAttentionBias(
      tf.tensor2d([
        [0, 0, 1, 1, 1],
        [1, 1, 1, 1, 1],
      ]),
    ); // [B, 1, 5, 5]
    const earlier = attention.keysAndValues(tf.slice(x, [0, 0, 0], [2, 4, 6]));
    expect(earlier.keys.shape).toEqual([6, 4, 2]); // [B·H, n, D/H]
    expect(earlier.values.shape).toEqual([6, 4, 2]);
    const lastBias = tf.slice(bias, [0, 0, 4, 0], [2, 1, 1, 5]); // [B, 1, 1, n + 1]
    const cached = attention.applyLastCached(tf.slice(x, [0, 4, 0], [2, 1, 6]), earlier, lastBias);
    const whole = attention.apply(x, bias, { training: false, lastQueryOnly: true });
    expect(cached.shape).toEqual([2, 1, 6]);
    expectTensorsClose(cached, whole.arraySync() as number[][][], 1e-6);
  });

  it('applyLastCached rejects a last input of several positions, keys of another batch or head size, and values for other positions', () => {
    const attention = createMultiHeadSelfAttention({ hiddenSize: 4, numHeads: 2, seed: 1 });
    const earlier = attention.keysAndValues(tf.zeros([2, 3, 4]));
    const bias = tf.zeros([2, 1, 1, 4]);
    expect(() => attention.applyLastCached(tf.zeros([2, 2, 4]), earlier, bias)).toThrow(ShapeMismatchError);
    expect(() => attention.applyLastCached(tf.zeros([3, 1, 4]), earlier, bias)).toThrow(/earlier\.keys/);
    const otherHeads = { keys: tf.zeros([4, 3, 1]) as tf.Tensor3D, values: earlier.values };
    expect(() => attention.applyLastCached(tf.zeros([2, 1, 4]), otherHeads, bias)).toThrow(/earlier\.keys/);
    const fewerValues = { keys: earlier.keys, values: tf.zeros([4, 2, 2]) as tf.Tensor3D };
    expect(() => attention.applyLastCached(tf.zeros([2, 1, 4]), fewerValues, bias)).toThrow(/earlier\.values/);
  });

  it('keysAndValues and applyLastCached leak no tensor', async () => {
    const attention = createMultiHeadSelfAttention({ hiddenSize: 4, numHeads: 2, seed: 1 });
    const x = tf.ones([2, 3, 4]) as tf.Tensor3D;
    const last = tf.ones([2, 1, 4]) as tf.Tensor3D;
    const bias = tf.zeros([1, 1, 1, 4]);
    await expectNoLeakedTensors(() => {
      const earlier = attention.keysAndValues(x);
      const output = attention.applyLastCached(last, earlier, bias);
      tf.dispose([earlier.keys, earlier.values]);
      return output;
    });
  });
});
