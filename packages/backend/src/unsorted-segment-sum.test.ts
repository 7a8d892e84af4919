import { createRng, ShapeMismatchError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFastKernels } from './register-fast-kernels';
import { selectBackend } from './select-backend';
import { sumSegments } from './unsorted-segment-sum';

/** Straight from the definition: output[s] = Σ rows whose id is s. Quadratic on purpose, and independent of sumSegments. */
function referenceSegmentSum(rows: number[][], ids: number[], numSegments: number): number[][] {
  return Array.from({ length: numSegments }, (_, segment) => {
    const total = new Array<number>(rows[0]?.length ?? 0).fill(0);
    ids.forEach((id, row) => {
      if (id === segment)
        rows[row]?.forEach((value, column) => {
          total[column] = (total[column] ?? 0) + value;
        });
    });
    return total;
  });
}

/** A synthetic [rows, width] float matrix with values in [-1, 1). */
function syntheticRows(seed: number, rows: number, width: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: width }, () => rng.next() * 2 - 1));
}

describe('sumSegments', () => {
  it('adds rows into their segments and skips ids outside [0, numSegments)', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]; // [5, 2]
    const sums = sumSegments(values, [2, 0, 2, -1, 3], 3, 2, 'float32');
    expect(sums).toBeInstanceOf(Float32Array);
    expect(Array.from(sums)).toEqual([3, 4, 0, 0, 6, 8]);
  });

  it('keeps int32 as int32', () => {
    const sums = sumSegments(Int32Array.from([5, -7, 11]), [1, 1, 0], 2, 1, 'int32');
    expect(sums).toBeInstanceOf(Int32Array);
    expect(Array.from(sums)).toEqual([11, -2]);
  });
});

describe('UnsortedSegmentSum kernel on wasm and cpu', () => {
  // Captured before the fast kernel replaces it, to compare against what cpu computed stock.
  const stockCpuKernel = tf.getKernel('UnsortedSegmentSum', 'cpu');
  let previousBackend: string | null = null;

  beforeAll(() => {
    previousBackend = tf.engine().backendName ?? null;
  });
  afterAll(async () => {
    if (previousBackend !== null) await tf.setBackend(previousBackend);
  });

  async function segmentSumOn(backend: 'wasm' | 'cpu', rows: number[][], ids: number[], numSegments: number) {
    await selectBackend({ backend, env: {} });
    return tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(rows), tf.tensor1d(ids, 'int32'), numSegments).arraySync());
  }

  it('equals the plain JS reference on wasm, and cpu gives the same', async () => {
    const rows = syntheticRows(11, 9, 4);
    const ids = [3, 0, 3, 3, 6, 1, 0, 6, 2]; // segments 4 and 5 stay empty
    const expected = referenceSegmentSum(rows, ids, 7);
    const onWasm = await segmentSumOn('wasm', rows, ids, 7);
    const onCpu = await segmentSumOn('cpu', rows, ids, 7);
    expectClose(onWasm, expected, 1e-6);
    expectClose(onCpu, onWasm, 0);
  });

  it('matches the stock cpu kernel', async () => {
    const rows = syntheticRows(12, 6, 3);
    const ids = [1, 4, 1, 0, 2, 4];
    const ours = await segmentSumOn('cpu', rows, ids, 5);
    const stock = tf.tidy(() => {
      const x = tf.tensor2d(rows);
      const segmentIds = tf.tensor1d(ids, 'int32');
      const output = stockCpuKernel.kernelFunc({
        inputs: { x, segmentIds },
        backend: tf.backend(),
        attrs: { numSegments: 5 },
      });
      return tf
        .engine()
        .makeTensorFromTensorInfo(output as tf.TensorInfo)
        .arraySync() as number[][];
    });
    expect(tf.getKernel('UnsortedSegmentSum', 'cpu').kernelFunc).not.toBe(stockCpuKernel.kernelFunc);
    expectClose(ours, stock, 1e-6);
  });

  it('ignores out-of-range ids, sums int32 and keeps a multi-dimensional inner shape', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    const result = tf.tidy(() => {
      const x = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [3, 2, 2], 'int32'); // [3, 2, 2]
      const summed = tf.unsortedSegmentSum(x, tf.tensor1d([1, 5, 1], 'int32'), 2);
      return { dtype: summed.dtype, shape: summed.shape, values: summed.arraySync() };
    });
    expect(result.dtype).toBe('int32');
    expect(result.shape).toEqual([2, 2, 2]);
    expect(result.values).toEqual([
      [
        [0, 0],
        [0, 0],
      ],
      [
        [10, 12],
        [14, 16],
      ],
    ]);
  });

  it('gives zeros for segments no row reaches, even in reused heap memory', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    // Freed memory full of 7s, then an output of the same size: wasm's allocator hands it out unzeroed.
    tf.tidy(() => tf.fill([64, 64], 7).dataSync());
    const summed = tf.tidy(() =>
      Array.from(tf.unsortedSegmentSum(tf.ones([2, 64]), tf.tensor1d([0, 0], 'int32'), 64).dataSync()),
    );
    expect(summed.slice(0, 64)).toEqual(new Array(64).fill(2));
    expect(summed.slice(64)).toEqual(new Array(63 * 64).fill(0));
  });

  it('accepts segment ids of rank 2 and rejects ids that are not a prefix of x', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    const summed = tf.tidy(() => {
      const x = tf.tensor3d([1, 1, 2, 2, 3, 3, 4, 4], [2, 2, 2]); // [2, 2, 2]
      const segmentIds = tf.tensor2d([0, 1, 1, 1], [2, 2], 'int32');
      // tf.unsortedSegmentSum's types say 1-D ids; TensorFlow's kernel takes any prefix of x's shape.
      const summed = tf.engine().runKernel('UnsortedSegmentSum', { x, segmentIds }, { numSegments: 2 }) as tf.Tensor;
      return summed.arraySync();
    });
    expect(summed).toEqual([
      [1, 1],
      [9, 9],
    ]);
    expect(() => tf.tidy(() => tf.unsortedSegmentSum(tf.ones([3, 2]), tf.tensor1d([0, 1], 'int32'), 2))).toThrow(
      ShapeMismatchError,
    );
  });

  it('leaves no tensors behind across calls', async () => {
    registerFastKernels();
    const rows = syntheticRows(13, 5, 2);
    await segmentSumOn('wasm', rows, [0, 1, 0, 1, 0], 2);
    const before = tf.memory().numTensors;
    for (let call = 0; call < 3; call++) await segmentSumOn('wasm', rows, [0, 1, 0, 1, 0], 2);
    expect(tf.memory().numTensors).toBe(before);
  });
});

function expectClose(actual: number[][], expected: number[][], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    row.forEach((value, j) => {
      expect(Math.abs(value - (expected[i]?.[j] ?? Number.NaN))).toBeLessThanOrEqual(tolerance);
    });
  });
}
