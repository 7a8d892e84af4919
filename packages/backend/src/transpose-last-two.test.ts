import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './select-backend';
import { synthetic } from './synthetic.test-helper';
import { createTransposeKernel, transposeLastTwo } from './transpose-last-two';

/** Each transpose of the list on the current backend, as plain arrays. */
function transposes(): { shape: number[]; values: number[] }[] {
  return tf.tidy(() =>
    [
      tf.transpose(synthetic([3, 5])), // 2-D, smaller than one tile
      tf.transpose(synthetic([37, 21])), // 2-D, partial tiles on both axes
      tf.transpose(synthetic([4, 19, 33]), [0, 2, 1]), // batched
      tf.transpose(synthetic([2, 3, 17, 5], 'int32'), [0, 1, 3, 2]), // int32, two leading axes
      tf.transpose(synthetic([1, 40])), // a row
      tf.transpose(synthetic([0, 3])), // empty
      tf.transpose(synthetic([2, 3, 4]), [1, 0, 2]), // another permutation: the stock kernel
      tf.transpose(synthetic([2, 3, 4])), // the full reversal: the stock kernel
    ].map((result) => ({ shape: [...result.shape], values: Array.from(result.dataSync()) })),
  );
}

describe('transposeLastTwo', () => {
  it('transposes each matrix of a batch', () => {
    const input = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // two [2, 3] matrices
    expect(Array.from(transposeLastTwo(input, new Float32Array(12), 2, 2, 3))).toEqual([
      1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12,
    ]);
  });
});

describe('the tiled Transpose on wasm', () => {
  let previousBackend: string | null = null;
  beforeAll(() => {
    previousBackend = tf.engine().backendName ?? null;
  });
  afterAll(async () => {
    if (previousBackend !== null) await tf.setBackend(previousBackend);
  });

  it('swaps the last two axes itself and hands every other permutation to the stock kernel', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    const stockCalls: unknown[] = [];
    const kernel = createTransposeKernel({
      kernelName: 'Transpose',
      backendName: 'wasm',
      kernelFunc: (args) => {
        stockCalls.push(args.attrs);
        return { dataId: {}, shape: [], dtype: 'float32' };
      },
    });
    const x = synthetic([2, 3]);
    const backend = tf.backend() as unknown as {
      readSync(dataId: object): Float32Array;
      disposeData(dataId: object): void;
    };
    const output = kernel.kernelFunc({
      inputs: { x },
      backend: tf.backend(),
      attrs: { perm: [1, 0] },
    }) as tf.TensorInfo;
    expect(output.shape).toEqual([3, 2]);
    expect(Array.from(backend.readSync(output.dataId))).toEqual([-3, -1.5, -2.5, -1, -2, -0.5]);
    backend.disposeData(output.dataId);
    expect(stockCalls).toEqual([]);
    kernel.kernelFunc({ inputs: { x: synthetic([2, 3, 4]) }, backend: tf.backend(), attrs: { perm: [1, 0, 2] } });
    kernel.kernelFunc({
      inputs: { x: synthetic([2, 3], 'int32').cast('bool') },
      backend: tf.backend(),
      attrs: { perm: [1, 0] },
    });
    expect(stockCalls).toHaveLength(2);
  });

  it('gives what the cpu backend gives, on every path', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    const onWasm = transposes();
    await selectBackend({ backend: 'cpu', env: {} });
    expect(onWasm).toEqual(transposes());
  });

  it('leaks no tensors', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    const x = synthetic([20, 30]);
    const before = tf.memory().numTensors;
    for (let round = 0; round < 3; round++) tf.transpose(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
