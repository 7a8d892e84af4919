import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCausalAttentionBias } from './causal-attention-bias';
import { createMultiHeadSelfAttention } from './multi-head-self-attention';
import { expectTensorsClose } from './testing/index';

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
});
