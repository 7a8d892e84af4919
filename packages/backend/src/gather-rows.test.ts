import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatherRowsKernel, gatherRows } from './gather-rows';
import { selectBackend } from './select-backend';

// SYNTHETIC tables: values i·0.5 − 3 so every row differs, in float32 and int32.
const table = (shape: number[], dtype: 'float32' | 'int32' = 'float32') =>
  tf.tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, index) =>
      dtype === 'int32' ? index - 7 : index * 0.5 - 3,
    ),
    shape,
    dtype,
  );

/** Each gather of the list on the current backend, as plain arrays. */
function gathers(): { shape: number[]; values: number[] }[] {
  return tf.tidy(() =>
    [
      tf.gather(table([6, 3]), tf.tensor1d([0, 2, 2, 5, 1], 'int32')), // rows, with a repeat
      tf.gather(
        table([5, 2, 3]),
        tf.tensor2d(
          [
            [4, 0],
            [1, 1],
          ],
          [2, 2],
          'int32',
        ),
      ), // rank-3 rows, [2, 2] indices
      tf.gather(table([6, 3], 'int32'), tf.tensor1d([3, 0], 'int32')), // int32 values
      tf.gather(table([4, 3]), tf.tensor1d([1, 0], 'int32'), -2), // axis −2 is axis 0
      tf.gather(table([4, 3]), tf.tensor1d([2, 0], 'int32'), 1), // axis 1: the stock kernel
      tf.gather(
        table([2, 4, 3]),
        tf.tensor2d(
          [
            [1, 0],
            [3, 3],
          ],
          [2, 2],
          'int32',
        ),
        1,
        1,
      ), // batchDims 1: the stock kernel
      tf.gather(table([6, 3]), tf.tensor1d([], 'int32')), // no rows
    ].map((result) => ({ shape: [...result.shape], values: Array.from(result.dataSync()) })),
  );
}

describe('gatherRows', () => {
  it('copies whole rows and gives up on an index out of range', () => {
    const values = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect(Array.from(gatherRows(values, [2, 0, 2], 2)!)).toEqual([5, 6, 1, 2, 5, 6]);
    expect(gatherRows(Int32Array.from([1, 2]), [0], 2)).toBeInstanceOf(Int32Array);
    expect(gatherRows(values, [3], 2)).toBeUndefined();
    expect(gatherRows(values, [-1], 2)).toBeUndefined();
  });
});

describe('the row-copying GatherV2 on wasm', () => {
  let previousBackend: string | null = null;
  beforeAll(() => {
    previousBackend = tf.engine().backendName ?? null;
  });
  afterAll(async () => {
    if (previousBackend !== null) await tf.setBackend(previousBackend);
  });

  it('copies rows itself on axis 0 and hands every other call to the stock kernel', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    const stockCalls: unknown[] = [];
    const kernel = createGatherRowsKernel({
      kernelName: 'GatherV2',
      backendName: 'wasm',
      kernelFunc: (args) => {
        stockCalls.push(args.attrs);
        return { dataId: {}, shape: [], dtype: 'float32' };
      },
    });
    const x = table([4, 3]);
    const indices = tf.tensor1d([3, 1], 'int32');
    const backend = tf.backend() as unknown as {
      readSync(dataId: object): Float32Array;
      disposeData(dataId: object): void;
    };
    const output = kernel.kernelFunc({
      inputs: { x, indices },
      backend: tf.backend(),
      attrs: { axis: 0, batchDims: 0 },
    }) as tf.TensorInfo;
    expect(output.shape).toEqual([2, 3]);
    expect(Array.from(backend.readSync(output.dataId))).toEqual([1.5, 2, 2.5, -1.5, -1, -0.5]);
    backend.disposeData(output.dataId);
    expect(stockCalls).toEqual([]);
    kernel.kernelFunc({ inputs: { x, indices }, backend: tf.backend(), attrs: { axis: 1, batchDims: 0 } });
    kernel.kernelFunc({
      inputs: { x, indices: tf.tensor1d([4], 'int32') },
      backend: tf.backend(),
      attrs: { axis: 0, batchDims: 0 },
    }); // out of range
    expect(stockCalls).toHaveLength(2);
  });

  it('gives what the cpu backend gives, on every path', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    const onWasm = gathers();
    await selectBackend({ backend: 'cpu', env: {} });
    expect(onWasm).toEqual(gathers());
  });

  it('keeps the gradient of tf.gather (through UnsortedSegmentSum) on wasm', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    const gradient = tf.tidy(() =>
      Array.from(
        tf
          .grad((t: tf.Tensor) => tf.sum(tf.gather(t, tf.tensor1d([2, 0, 2], 'int32'))))(table([3, 2]))
          .dataSync(),
      ),
    );
    expect(gradient).toEqual([1, 1, 0, 0, 2, 2]);
  });
});
