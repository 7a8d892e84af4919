import { ShapeMismatchError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BLOCKED_SCORE, createCausalAttentionBias } from './causal-attention-bias';
import { expectTensorsClose } from './testing/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('createCausalAttentionBias', () => {
  it('blocks future keys and padded keys, hand-computed', () => {
    const blocked = BLOCKED_SCORE;
    // Row 0: one pad then two items; row 1: three items.
    const bias = createCausalAttentionBias(
      tf.tensor2d([
        [0, 1, 1],
        [1, 1, 1],
      ]),
    );
    expect(bias.shape).toEqual([2, 1, 3, 3]);
    expectTensorsClose(bias, [
      [
        [
          [blocked, blocked, blocked],
          [blocked, 0, blocked],
          [blocked, 0, 0],
        ],
      ],
      [
        [
          [0, blocked, blocked],
          [0, 0, blocked],
          [0, 0, 0],
        ],
      ],
    ]);
  });

  it('accepts an int32 mask', () => {
    expectTensorsClose(createCausalAttentionBias(tf.tensor2d([[1, 1]], undefined, 'int32')), [
      [
        [
          [0, BLOCKED_SCORE],
          [0, 0],
        ],
      ],
    ]);
  });

  it('gives a fully padded row a finite, uniform softmax', () => {
    const bias = createCausalAttentionBias(tf.tensor2d([[0, 0, 1]]));
    const probabilities = tf.softmax(
      tf.add(
        tf.tensor4d([
          [
            [
              [0.3, -0.2, 0.1],
              [0, 0, 0],
              [1, 2, 3],
            ],
          ],
        ]),
        bias,
      ),
    );
    expectTensorsClose(probabilities, [
      [
        [
          [1 / 3, 1 / 3, 1 / 3],
          [1 / 3, 1 / 3, 1 / 3],
          [0, 0, 1],
        ],
      ],
    ]);
  });

  it('rejects a mask that is not [B, L]', () => {
    expect(() => createCausalAttentionBias(tf.zeros([3]) as unknown as tf.Tensor2D)).toThrow(ShapeMismatchError);
  });
});
