import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeakedTensors } from './expect-no-leaked-tensors';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('expectNoLeakedTensors', () => {
  it('passes tidy code and disposes what fn returns', async () => {
    const before = tf.memory().numTensors;
    await expectNoLeakedTensors(() =>
      tf.tidy(() => ({ sum: tf.add(tf.ones([2]), tf.ones([2])), list: [tf.zeros([1])] })),
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails code that leaves a tensor behind on every run', async () => {
    const leaked: tf.Tensor[] = [];
    await expect(expectNoLeakedTensors(() => void leaked.push(tf.ones([2])))).rejects.toThrow(/tensor leak: 1 tensor/);
    tf.dispose(leaked);
  });

  it('forgives a one-time warm-up allocation and awaits async functions', async () => {
    let cache: tf.Tensor | undefined;
    await expectNoLeakedTensors(async () => {
      cache ??= tf.ones([3]);
      await Promise.resolve();
      return tf.mul(cache, 2);
    });
    cache?.dispose();
  });
});
