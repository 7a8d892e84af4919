import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './select-backend';

describe('the data-sharing Identity on wasm', () => {
  let previousBackend: string | null = null;
  beforeAll(async () => {
    previousBackend = tf.engine().backendName ?? null;
    await selectBackend({ backend: 'wasm', env: {} });
  });
  afterAll(async () => {
    if (previousBackend !== null) await tf.setBackend(previousBackend);
  });

  it('gives the same values, shape and dtype, and keeps them after the input is disposed', () => {
    // SYNTHETIC values.
    const x = tf.tensor2d([1.5, -2, 3, 4.25, 0, -7], [2, 3]);
    const ints = tf.tensor1d([3, -1, 7], 'int32');
    const copy = tf.clone(x);
    const intCopy = tf.clone(ints);
    const bools = tf.clone(tf.tensor1d([1, 0, 1], 'bool'));
    x.dispose();
    ints.dispose();
    expect(copy.shape).toEqual([2, 3]);
    expect(Array.from(copy.dataSync())).toEqual([1.5, -2, 3, 4.25, 0, -7]);
    expect(intCopy.dtype).toBe('int32');
    expect(Array.from(intCopy.dataSync())).toEqual([3, -1, 7]);
    expect(Array.from(bools.dataSync())).toEqual([1, 0, 1]);
    tf.dispose([copy, intCopy, bools]);
  });

  it('holds one buffer for the input and its copies, freed once every tensor that shares it is disposed', () => {
    const buffers = () => tf.backend().numDataIds();
    const before = buffers();
    const x = tf.ones([64, 64]);
    const copies = [tf.clone(x), tf.clone(x)];
    expect(buffers()).toBe(before + 1); // wasm's own Identity: before + 3
    x.dispose();
    expect(buffers()).toBe(before + 1);
    expect(copies[0]!.dataSync()[5]).toBe(1);
    tf.dispose(copies);
    expect(buffers()).toBe(before);
  });

  it("keeps a custom gradient's values (customGrad runs Identity on its inputs and outputs)", () => {
    const square = tf.customGrad((...args: unknown[]) => {
      const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
      save([x]);
      return {
        value: tf.square(x),
        gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => [tf.mul(dy, tf.mul(saved!, 2))],
      };
    }) as (x: tf.Tensor) => tf.Tensor;
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => tf.sum(square(x)) as tf.Scalar)(tf.tensor1d([1, -2, 3]));
    expect(value.dataSync()[0]).toBe(14);
    expect(Array.from(grad.dataSync())).toEqual([2, -4, 6]);
  });
});
