import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDense } from './dense';
import { syntheticPaddingMask, syntheticTensor } from './synthetic.test-helper';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose } from './testing/index';
import { createTransformerEncoder, type TransformerEncoderOptions } from './transformer-encoder';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  tf.disposeVariables();
});

/** Tiny and dropout-free unless a test asks otherwise. */
function tinyEncoder(options: TransformerEncoderOptions = {}) {
  return createTransformerEncoder({
    hiddenSize: 4,
    numHeads: 2,
    innerSize: 8,
    numLayers: 2,
    maxLength: 5,
    dropout: 0,
    attentionDropout: 0,
    seed: 1,
    ...options,
  });
}

/** Rows [from, to) of every sequence, as nested arrays. */
function positions(states: tf.Tensor3D, from: number, to: number): number[][][] {
  return tf.tidy(() => tf.slice(states, [0, from, 0], [-1, to - from, -1]).arraySync() as number[][][]);
}

/** `inputs` with positions [from, to) replaced by other synthetic values. */
function replacePositions(inputs: tf.Tensor3D, from: number, to: number, seed: number): tf.Tensor3D {
  const [batch, length, hidden] = inputs.shape;
  const keep = tf.tensor3d(
    Array.from({ length: batch }, () =>
      Array.from({ length }, (_, p) => new Array(hidden).fill(p >= from && p < to ? 0 : 1)),
    ),
  );
  return tf.add(tf.mul(inputs, keep), tf.mul(syntheticTensor(inputs.shape, seed), tf.sub(1, keep)));
}

describe('createTransformerEncoder', () => {
  it('maps [B, L, D] to [B, L, D] and lastState to [B, D] at position L − 1', () => {
    const encoder = tinyEncoder();
    const states = encoder.apply(syntheticTensor([3, 5, 4], 2), syntheticPaddingMask([5, 2, 1], 5), {
      training: false,
    });
    expect(states.shape).toEqual([3, 5, 4]);
    const last = encoder.lastState(states);
    expect(last.shape).toEqual([3, 4]);
    expectTensorsClose(
      last,
      positions(states, 4, 5).map((row) => row[0]!),
    );
  });

  it.each([
    ['post-LN, 2 blocks', {}],
    ['pre-LN, 2 blocks', { normFirst: true }],
    ['1 block', { numLayers: 1 }],
    ['no blocks', { numLayers: 0 }],
  ] as const)('applyLast gives lastState(apply(…)), values and input gradients, with padding (%s)', (_, options) => {
    const encoder = tinyEncoder(options);
    const inputs = syntheticTensor([3, 5, 4], 2) as tf.Tensor3D;
    const mask = syntheticPaddingMask([5, 2, 1], 5);
    const full = encoder.lastState(encoder.apply(inputs, mask, { training: false }));
    const last = encoder.applyLast(inputs, mask, { training: false });
    expect(last.shape).toEqual([3, 4]);
    expectTensorsClose(last, full.arraySync() as number[][], 1e-5);
    // Weigh the outputs unevenly so the gradient checks every position's contribution.
    const weights = syntheticTensor([3, 4], 7);
    const [fullGradient] = tf.grads((x: tf.Tensor) =>
      tf.sum(tf.mul(encoder.lastState(encoder.apply(x as tf.Tensor3D, mask, { training: false })), weights)),
    )([inputs]);
    const [lastGradient] = tf.grads((x: tf.Tensor) =>
      tf.sum(tf.mul(encoder.applyLast(x as tf.Tensor3D, mask, { training: false }), weights)),
    )([inputs]);
    expectTensorsClose(lastGradient!, fullGradient!.arraySync() as number[][][], 1e-5);
    tf.dispose([inputs, mask, full, last, weights, fullGradient!, lastGradient!]);
  });

  it.each([
    ['post-LN, 2 blocks', {}, 5],
    ['pre-LN, 2 blocks', { normFirst: true }, 5],
    ['no blocks', { numLayers: 0 }, 5],
    ['one position', {}, 1],
  ] as const)(
    'applyLastWithPrefix gives applyLast with the last input replaced, for several last inputs (%s)',
    (_, options, length) => {
      const encoder = tinyEncoder(options);
      const inputs = syntheticTensor([3, length, 4], 2) as tf.Tensor3D;
      const mask = syntheticPaddingMask([length, Math.min(2, length), 1], length);
      const prefix = encoder.prefix(inputs, mask);
      for (const seed of [11, 12]) {
        const lastInput = syntheticTensor([3, 4], seed) as tf.Tensor2D;
        const replaced =
          length === 1
            ? tf.reshape(lastInput, [3, 1, 4])
            : tf.concat([tf.slice(inputs, [0, 0, 0], [3, length - 1, 4]), tf.reshape(lastInput, [3, 1, 4])], 1);
        const expected = encoder.applyLast(replaced as tf.Tensor3D, mask, { training: false });
        expectTensorsClose(encoder.applyLastWithPrefix(prefix, lastInput), expected.arraySync() as number[][], 1e-5);
      }
      prefix.dispose();
      expect(() =>
        encoder.applyLastWithPrefix(encoder.prefix(inputs, mask), syntheticTensor([3, 5], 1) as tf.Tensor2D),
      ).toThrow(ShapeMismatchError);
    },
  );

  it('prefix and applyLastWithPrefix leak no tensor', async () => {
    const encoder = tinyEncoder();
    const inputs = syntheticTensor([2, 3, 4], 3) as tf.Tensor3D;
    const mask = syntheticPaddingMask([3, 1], 3);
    const lastInput = syntheticTensor([2, 4], 4) as tf.Tensor2D;
    await expectNoLeakedTensors(() => {
      const prefix = encoder.prefix(inputs, mask);
      const last = encoder.applyLastWithPrefix(prefix, lastInput);
      prefix.dispose();
      return last;
    });
  });

  it('applyLast leaks no tensor and checks its inputs like apply', async () => {
    const encoder = tinyEncoder();
    const inputs = syntheticTensor([2, 3, 4], 3) as tf.Tensor3D;
    const mask = syntheticPaddingMask([3, 1], 3);
    encoder.applyLast(inputs, mask, { training: true, seed: 1 }).dispose();
    await expectNoLeakedTensors(() => encoder.applyLast(inputs, mask, { training: true, seed: 2 }));
    expect(() => encoder.applyLast(syntheticTensor([2, 3, 5], 1) as tf.Tensor3D, mask, { training: false })).toThrow(
      ShapeMismatchError,
    );
    tf.dispose([inputs, mask]);
  });

  it('names every variable under its scope, RecBole layout', () => {
    const encoder = tinyEncoder({ numLayers: 1, name: 'text' });
    expect(encoder.variables.map((variable) => variable.name)).toEqual([
      'text/position_embedding',
      'text/embedding_norm/gamma',
      'text/embedding_norm/beta',
      ...['query', 'key', 'value', 'output'].flatMap((role) => [
        `text/layer_0/attention/${role}/kernel`,
        `text/layer_0/attention/${role}/bias`,
      ]),
      'text/layer_0/attention_norm/gamma',
      'text/layer_0/attention_norm/beta',
      'text/layer_0/feed_forward/inner/kernel',
      'text/layer_0/feed_forward/inner/bias',
      'text/layer_0/feed_forward/output/kernel',
      'text/layer_0/feed_forward/output/bias',
      'text/layer_0/feed_forward_norm/gamma',
      'text/layer_0/feed_forward_norm/beta',
    ]);
    expect(encoder.positionEmbedding.shape).toEqual([5, 4]);
    const preNorm = tinyEncoder({ numLayers: 1, normFirst: true, name: 'image' }).variables.map(
      (variable) => variable.name,
    );
    expect(preNorm).toContain('image/final_norm/gamma');
    expect(preNorm).not.toContain('image/embedding_norm/gamma');
  });

  it.each([false, true])('is causal: a later item does not change earlier states (normFirst %s)', (normFirst) => {
    const encoder = tinyEncoder({ normFirst });
    const mask = syntheticPaddingMask([5, 5], 5);
    const inputs = syntheticTensor<tf.Rank.R3>([2, 5, 4], 3);
    const before = encoder.apply(inputs, mask, { training: false });
    const after = encoder.apply(replacePositions(inputs, 3, 4, 4), mask, { training: false });
    expectTensorsClose(tf.tensor(positions(after, 0, 3)), positions(before, 0, 3), 1e-6);
    expect(positions(after, 3, 5)).not.toEqual(positions(before, 3, 5));
  });

  it.each([false, true])('ignores what sits in padded positions (normFirst %s)', (normFirst) => {
    const encoder = tinyEncoder({ normFirst });
    const mask = syntheticPaddingMask([3, 3], 5); // positions 0 and 1 are padding
    const inputs = syntheticTensor<tf.Rank.R3>([2, 5, 4], 5);
    const before = encoder.apply(inputs, mask, { training: false });
    const after = encoder.apply(replacePositions(inputs, 0, 2, 6), mask, { training: false });
    expectTensorsClose(tf.tensor(positions(after, 2, 5)), positions(before, 2, 5), 1e-6);
  });

  it('aligns positions to the right: a short window equals the same items left-padded to maxLength', () => {
    const encoder = tinyEncoder();
    const items = syntheticTensor<tf.Rank.R3>([1, 3, 4], 7);
    const padded = tf.concat([syntheticTensor<tf.Rank.R3>([1, 2, 4], 8), items], 1);
    const short = encoder.apply(items, syntheticPaddingMask([3], 3), { training: false });
    const long = encoder.apply(padded, syntheticPaddingMask([3], 5), { training: false });
    expectTensorsClose(short, positions(long, 2, 5), 1e-6);
  });

  it('keeps padded and even fully padded rows finite', () => {
    const encoder = tinyEncoder();
    const states = encoder.apply(syntheticTensor([2, 5, 4], 9), syntheticPaddingMask([2, 0], 5), { training: true });
    expect(Array.from(states.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it('is deterministic per seed, in weights and in dropout masks', () => {
    const inputs = syntheticTensor<tf.Rank.R3>([2, 5, 4], 10);
    const mask = syntheticPaddingMask([5, 3], 5);
    const run = (name: string, seed: number) => {
      const encoder = tinyEncoder({ name, seed, dropout: 0.3, attentionDropout: 0.3 });
      return {
        weights: encoder.variables.map((variable) => Array.from(variable.dataSync())),
        evaluation: Array.from(encoder.apply(inputs, mask, { training: false }).dataSync()),
        firstStep: Array.from(encoder.apply(inputs, mask, { training: true }).dataSync()),
        secondStep: Array.from(encoder.apply(inputs, mask, { training: true }).dataSync()),
      };
    };
    const first = run('first', 11);
    expect(run('again', 11)).toEqual(first);
    expect(run('other', 12).weights).not.toEqual(first.weights);
    expect(first.firstStep).not.toEqual(first.evaluation); // dropout is on while training
    expect(first.secondStep).not.toEqual(first.firstStep); // and draws a fresh mask each call
  });

  it('draws the same masks for the same call seed, whatever ran before', () => {
    const inputs = syntheticTensor<tf.Rank.R3>([2, 5, 4], 10);
    const mask = syntheticPaddingMask([5, 3], 5);
    const encoder = tinyEncoder({ name: 'call_seed', seed: 3, dropout: 0.3, attentionDropout: 0.3 });
    const seeded = Array.from(encoder.apply(inputs, mask, { training: true, seed: 77 }).dataSync());
    encoder.apply(inputs, mask, { training: true }).dispose(); // advances the encoder's own stream
    expect(Array.from(encoder.apply(inputs, mask, { training: true, seed: 77 }).dataSync())).toEqual(seeded);
    expect(Array.from(encoder.apply(inputs, mask, { training: true, seed: 78 }).dataSync())).not.toEqual(seeded);
    // A fresh encoder with the same weights seed agrees: the masks depend on the call alone.
    const twin = tinyEncoder({ name: 'call_seed_twin', seed: 3, dropout: 0.3, attentionDropout: 0.3 });
    expect(Array.from(twin.apply(inputs, mask, { training: true, seed: 77 }).dataSync())).toEqual(seeded);
  });

  it.each([false, true])(
    'matches finite differences for inputs and every variable (normFirst %s)',
    (normFirst) => {
      // Larger weights than the default normal(0.02), so attention is far from uniform and every path matters.
      const encoder = createTransformerEncoder({
        hiddenSize: 4,
        numHeads: 2,
        innerSize: 6,
        numLayers: normFirst ? 1 : 2, // one block is enough to cover the pre-LN wiring; keeps the check fast
        maxLength: 3,
        dropout: 0,
        attentionDropout: 0,
        normFirst,
        seed: 13,
        initializer: 'normal(0.5)',
      });
      const inputs = syntheticTensor([2, 3, 4], 14);
      const mask = syntheticPaddingMask([3, 2], 3);
      // Padded positions are left out of the loss, as in training: their rows softmax over blocked
      // scores, where a finite-difference step is lost in float32 rounding.
      const weights = tf.mul(syntheticTensor([2, 3, 4], 15), tf.expandDims(mask, -1));
      expectGradientsClose(
        (x) => tf.mul(encoder.apply(x as tf.Tensor3D, mask, { training: false }), weights),
        [inputs, ...encoder.variables],
      );
    },
    60_000,
  ); // ~700 forward passes: about 2 s alone, several times that on a busy 2-core machine

  it('rejects bad options', () => {
    expect(() => tinyEncoder({ numHeads: 3 })).toThrow(/numHeads: must divide hiddenSize 4/);
    expect(() => tinyEncoder({ dropout: 1 })).toThrow(InvalidArgumentError);
    expect(() => tinyEncoder({ attentionDropout: -0.5 })).toThrow(/attentionDropout/);
    expect(() => tinyEncoder({ maxLength: 0 })).toThrow(/maxLength/);
    expect(() => tinyEncoder({ numLayers: 1.5 })).toThrow(/numLayers/);
    expect(() => tinyEncoder({ layerNormEpsilon: -1 })).toThrow(/layerNormEpsilon/);
    expect(() => tinyEncoder({ initializer: 'uniform' as never })).toThrow(/initializer/);
    expect(() => tinyEncoder({ name: '' })).toThrow(/name/);
    expect(Object.keys(tf.engine().registeredVariables)).toEqual([]); // validation runs before any variable exists
  });

  it('rejects inputs and masks of the wrong shape', () => {
    const encoder = tinyEncoder();
    const mask = syntheticPaddingMask([5], 5);
    expect(() => encoder.apply(tf.zeros([1, 6, 4]), syntheticPaddingMask([6], 6), { training: false })).toThrow(
      ShapeMismatchError,
    );
    expect(() => encoder.apply(tf.zeros([1, 5, 3]), mask, { training: false })).toThrow(/inputs/);
    expect(() => encoder.apply(tf.zeros([1, 5, 4]), syntheticPaddingMask([4, 4], 4), { training: false })).toThrow(
      /paddingMask/,
    );
  });

  it('leaves no variables behind when construction fails half-way', () => {
    createDense({ inputSize: 4, outputSize: 4, name: 'encoder/layer_1/attention/query' });
    expect(() => tinyEncoder()).toThrow(/already exists/);
    expect(Object.keys(tf.engine().registeredVariables)).toEqual([
      'encoder/layer_1/attention/query/kernel',
      'encoder/layer_1/attention/query/bias',
    ]);
  });

  it('leaks no tensors while training, forward and backward', async () => {
    const encoder = tinyEncoder({ dropout: 0.2, attentionDropout: 0.2 });
    const inputs = syntheticTensor<tf.Rank.R3>([2, 5, 4], 16);
    const mask = syntheticPaddingMask([5, 2], 5);
    await expectNoLeakedTensors(() =>
      tf.variableGrads(() => tf.sum(tf.square(encoder.lastState(encoder.apply(inputs, mask, { training: true }))))),
    );
  });
});
