import { InvalidArgumentError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dropout } from './dropout';
import { expectNoLeakedTensors } from './testing/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('dropout', () => {
  it('is the identity when not training or when the rate is 0', () => {
    const x = tf.ones([4, 5]);
    expect(dropout(x, 0.5, { training: false })).toBe(x);
    expect(dropout(x, 0, { training: true })).toBe(x);
  });

  it('zeroes about `rate` of the elements and scales the rest by 1 / (1 − rate)', () => {
    const values = dropout(tf.ones([100, 100]), 0.25, { training: true, seed: 1 }).dataSync();
    const kept = values.filter((value) => value !== 0);
    expect(kept.every((value) => Math.abs(value - 4 / 3) < 1e-6)).toBe(true);
    expect(1 - kept.length / values.length).toBeCloseTo(0.25, 1);
  });

  it('draws the same mask for the same seed and another for another seed', () => {
    const x = tf.ones([8, 8]);
    const first = Array.from(dropout(x, 0.5, { training: true, seed: 3 }).dataSync());
    expect(Array.from(dropout(x, 0.5, { training: true, seed: 3 }).dataSync())).toEqual(first);
    expect(Array.from(dropout(x, 0.5, { training: true, seed: 4 }).dataSync())).not.toEqual(first);
  });

  it('passes the gradient through the kept elements only', () => {
    const x = tf.ones([6, 6]);
    const output = dropout(x, 0.5, { training: true, seed: 5 }).dataSync();
    const gradient = tf
      .grad((input: tf.Tensor) => dropout(input, 0.5, { training: true, seed: 5 }))(x)
      .dataSync();
    expect(Array.from(gradient)).toEqual(Array.from(output)); // d(x·mask)/dx = mask, and x is all ones
  });

  it('rejects rates outside [0, 1)', () => {
    expect(() => dropout(tf.ones([2]), 1, { training: true })).toThrow(InvalidArgumentError);
    expect(() => dropout(tf.ones([2]), -0.1, { training: false })).toThrow(/rate/);
  });

  it('leaks no tensors', async () => {
    const x = tf.ones([3, 3]);
    await expectNoLeakedTensors(() => dropout(x, 0.3, { training: true, seed: 6 }));
  });
});
