import { selectBackend } from '@imecd/backend';
import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { contrastiveLoss } from './contrastive-loss';
import { syntheticTensor } from './synthetic.test-helper';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});

const identity = tf.tensor2d([
  [1, 0],
  [0, 1],
]);

describe('contrastiveLoss', () => {
  it('is −log softmax of the positive over in-batch targets, hand-computed', () => {
    // Dot, τ = 1: logits = I, so each row loses −log(e / (e + 1)) = log(1 + e^−1).
    expectTensorsClose(
      contrastiveLoss(identity, identity, { similarity: 'dot', temperature: 1 }),
      Math.log(1 + Math.exp(-1)),
      1e-6,
    );
    // Cosine ignores length; τ = 0.5 doubles the logits: log(1 + e^−2).
    expectTensorsClose(
      contrastiveLoss(
        tf.tensor2d([
          [2, 0],
          [0, 3],
        ]),
        identity,
        { temperature: 0.5 },
      ),
      Math.log(1 + Math.exp(-2)),
      1e-6,
    );
  });

  it('leaves out pairs that share a target, by id or by equal target rows', () => {
    expectTensorsClose(
      contrastiveLoss(identity, identity, { similarity: 'dot', temperature: 1, targetIds: [7, 7] }),
      0,
      1e-6,
    );
    expectTensorsClose(
      contrastiveLoss(identity, identity, { similarity: 'dot', temperature: 1, targetIds: [7, 8] }),
      Math.log(1 + Math.exp(-1)),
      1e-6,
    );
    // Equal target rows with no ids: each row is left with its positive only.
    expectTensorsClose(
      contrastiveLoss(
        identity,
        tf.tensor2d([
          [1, 0],
          [1, 0],
        ]),
        { similarity: 'dot', temperature: 1 },
      ),
      0,
      1e-6,
    );
  });

  it('averages only over anchor rows, while masked rows still serve as negatives', () => {
    const predicted = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const target = tf.tensor2d([
      [1, 0],
      [0, 1],
      [-1, 0],
    ]);
    // Row 0 with dot and τ = 1: logits [1, 0, −1] → −log(e / (e + 1 + e^−1)).
    const rowZero = -Math.log(Math.E / (Math.E + 1 + Math.exp(-1)));
    expectTensorsClose(
      contrastiveLoss(predicted, target, { similarity: 'dot', temperature: 1, anchorMask: [1, 0, 0] }),
      rowZero,
      1e-6,
    );
    expectTensorsClose(
      contrastiveLoss(predicted, target, { similarity: 'dot', temperature: 1, anchorMask: [0, 0, 0] }),
      0,
      1e-6,
    );
  });

  it('matches finite differences in predictions and targets, for both similarities', () => {
    const predicted = syntheticTensor([4, 3], 1);
    const target = syntheticTensor([4, 3], 2);
    for (const similarity of ['cosine', 'dot'] as const) {
      expectGradientsClose(
        (a, b) =>
          contrastiveLoss(a as tf.Tensor2D, b as tf.Tensor2D, {
            similarity,
            temperature: 0.5,
            targetIds: [0, 1, 0, 2],
            anchorMask: [1, 1, 0, 1],
          }),
        [predicted, target],
      );
    }
  });

  it("with negatives 'predictions', contrasts each prediction with the other rows' predictions, hand-computed", () => {
    const predicted = tf.tensor2d([
      [1, 0],
      [1, 1],
    ]);
    const target = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    // Dot, τ = 1. Row 0: positive x̂_0·x_0 = 1, negative x̂_0·x̂_1 = 1 → log 2.
    // Row 1: positive x̂_1·x_1 = 1, negative x̂_1·x̂_0 = 1 → log 2. (Against targets row 0 would be log(1 + e^−1).)
    expectTensorsClose(
      contrastiveLoss(predicted, target, { similarity: 'dot', temperature: 1, negatives: 'predictions' }),
      Math.log(2),
      1e-6,
    );
    // Collapsed predictions (equal rows) are penalised more than spread ones with the same positives.
    const collapsed = contrastiveLoss(
      tf.tensor2d([
        [1, 1],
        [1, 1],
      ]),
      tf
        .tensor2d([
          [1, 1],
          [1, 1],
        ])
        .mul(0.5) as tf.Tensor2D,
      { negatives: 'predictions', targetIds: [1, 2] },
    );
    const spread = contrastiveLoss(
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      { negatives: 'predictions', targetIds: [1, 2] },
    );
    expect(collapsed.dataSync()[0]).toBeCloseTo(Math.log(2), 5); // cosine 1 to the positive and to the other generation
    expect(spread.dataSync()[0]).toBeLessThan(1e-3);
  });

  it("with negatives 'predictions', matches finite differences", () => {
    const predicted = syntheticTensor([4, 3], 5);
    const target = syntheticTensor([4, 3], 6);
    for (const similarity of ['cosine', 'dot'] as const) {
      expectGradientsClose(
        (a, b) =>
          contrastiveLoss(a as tf.Tensor2D, b as tf.Tensor2D, {
            similarity,
            temperature: 0.5,
            negatives: 'predictions',
            targetIds: [0, 1, 0, 2],
          }),
        [predicted, target],
      );
    }
  });

  it('rejects bad temperatures, similarities, ids, masks and shapes', () => {
    expect(() => contrastiveLoss(identity, identity, { temperature: 0 })).toThrow(InvalidArgumentError);
    expect(() => contrastiveLoss(identity, identity, { similarity: 'l2' as never })).toThrow(/similarity/);
    expect(() => contrastiveLoss(identity, identity, { negatives: 'items' as never })).toThrow(/negatives/);
    expect(() => contrastiveLoss(identity, identity, { targetIds: [1] })).toThrow(/targetIds/);
    expect(() => contrastiveLoss(identity, identity, { anchorMask: [1, 0.5] })).toThrow(/anchorMask/);
    expect(() => contrastiveLoss(identity, identity, { anchorMask: [1] })).toThrow(ShapeMismatchError);
    expect(() => contrastiveLoss(identity, tf.zeros([3, 2]) as tf.Tensor2D)).toThrow(/target/);
  });

  it('leaks no tensors, forward and backward', async () => {
    const predicted = syntheticTensor<tf.Rank.R2>([3, 2], 4);
    await expectNoLeakedTensors(() =>
      tf.grads((a: tf.Tensor) => contrastiveLoss(a as tf.Tensor2D, predicted, { anchorMask: [1, 0, 1] }))([predicted]),
    );
  });
});
