import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './select-backend';
import { synthetic } from './synthetic.test-helper';
import { createTileKernel, tileInto } from './tile-rows';

/** Each tiling of the list on the current backend, as plain arrays. */
function tilings(): { shape: number[]; values: number[] }[] {
  return tf.tidy(() =>
    [
      tf.tile(synthetic([5]), [3]), // 1-D
      tf.tile(synthetic([4, 6]), [256, 1]), // rows repeated: IMECD's noise
      tf.tile(synthetic([4, 6]), [1, 3]), // the last axis repeated
      tf.tile(synthetic([2, 3, 4]), [2, 3, 2]), // every axis
      tf.tile(synthetic([3, 1, 2], 'int32'), [1, 4, 1]), // int32, a middle axis of one
      tf.tile(synthetic([2, 3]), [0, 2]), // empty output
      tf.tile(synthetic([2, 3]), [1, 1]), // a copy
      tf.tile(tf.tensor([true, false, false, true], [2, 2], 'bool'), [2, 1]), // bool: the stock kernel
    ].map((result) => ({ shape: [...result.shape], values: Array.from(result.dataSync()) })),
  );
}

describe('tileInto', () => {
  it('repeats rows and whole blocks', () => {
    const input = Int32Array.from([1, 2, 3, 4]); // [2, 2]
    expect(Array.from(tileInto(input, [2, 2], [2, 2], new Int32Array(16)))).toEqual([
      1, 2, 1, 2, 3, 4, 3, 4, 1, 2, 1, 2, 3, 4, 3, 4,
    ]);
  });
});

describe('the row-copying Tile on wasm', () => {
  let previousBackend: string | null = null;
  beforeAll(() => {
    previousBackend = tf.engine().backendName ?? null;
  });
  afterAll(async () => {
    if (previousBackend !== null) await tf.setBackend(previousBackend);
  });

  it('tiles float32 and int32 itself and hands other dtypes to the stock kernel', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    const stockCalls: unknown[] = [];
    const kernel = createTileKernel({
      kernelName: 'Tile',
      backendName: 'wasm',
      kernelFunc: (args) => {
        stockCalls.push(args.attrs);
        return { dataId: {}, shape: [], dtype: 'float32' };
      },
    });
    const backend = tf.backend() as unknown as {
      readSync(dataId: object): Float32Array;
      disposeData(dataId: object): void;
    };
    const output = kernel.kernelFunc({
      inputs: { x: synthetic([1, 2]) },
      backend: tf.backend(),
      attrs: { reps: [2, 1] },
    }) as tf.TensorInfo;
    expect(output.shape).toEqual([2, 2]);
    expect(Array.from(backend.readSync(output.dataId))).toEqual([-3, -2.5, -3, -2.5]);
    backend.disposeData(output.dataId);
    expect(stockCalls).toEqual([]);
    kernel.kernelFunc({
      inputs: { x: synthetic([2, 3], 'int32').cast('bool') },
      backend: tf.backend(),
      attrs: { reps: [1, 2] },
    });
    expect(stockCalls).toHaveLength(1);
  });

  it('gives what the cpu backend gives, on every path, and leaks nothing', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    const before = tf.memory().numTensors;
    const onWasm = tilings();
    expect(tf.memory().numTensors).toBe(before);
    await selectBackend({ backend: 'cpu', env: {} });
    expect(onWasm).toEqual(tilings());
  });
});
