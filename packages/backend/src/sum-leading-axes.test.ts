import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSumLeadingAxesKernel, leadingAxisCount } from './sum-leading-axes';
import { selectBackend } from './select-backend';

// SYNTHETIC values: sin(i), so every entry differs and sums do not cancel exactly.
const synthetic = (shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, index) => Math.sin(index)), shape);

/** Each sum of the list on the current backend, as plain arrays. */
function sums(): { shape: number[]; values: number[] }[] {
  return tf.tidy(() =>
    [
      tf.sum(synthetic([40, 6]), 0), // a bias gradient
      tf.sum(synthetic([5, 4, 6]), [0, 1]), // a LayerNorm scale gradient
      tf.sum(synthetic([5, 4, 6]), [1, 0], true), // any order, keepDims
      tf.sum(synthetic([5, 4, 6]), -3), // negative axis
      tf.sum(synthetic([5, 4, 6]), 1), // a middle axis: the stock kernel
      tf.sum(synthetic([5, 4, 6]), -1), // the last axis: the stock kernel
      tf.sum(synthetic([5, 4])), // every axis: the stock kernel
      tf.sum(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), 0), // int32: the stock kernel
    ].map((result) => ({ shape: [...result.shape], values: Array.from(result.dataSync()) })),
  );
}

describe('leadingAxisCount', () => {
  it('recognises exactly the leading axes', () => {
    expect(leadingAxisCount(0, 3)).toBe(1);
    expect(leadingAxisCount([1, 0], 3)).toBe(2);
    expect(leadingAxisCount([-3, -2], 3)).toBe(2);
    expect(leadingAxisCount(null, 3)).toBe(3);
    expect(leadingAxisCount(1, 3)).toBeUndefined();
    expect(leadingAxisCount([0, 2], 3)).toBeUndefined();
    expect(leadingAxisCount(3, 3)).toBeUndefined();
  });
});

describe('the leading-axes Sum on wasm', () => {
  let previousBackend: string | null = null;
  beforeAll(() => {
    previousBackend = tf.engine().backendName ?? null;
  });
  afterAll(async () => {
    if (previousBackend !== null) await tf.setBackend(previousBackend);
  });

  it('sums leading axes itself and hands every other call to the stock kernel', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    const stockCalls: unknown[] = [];
    const kernel = createSumLeadingAxesKernel({ kernelName: 'Sum', backendName: 'wasm', kernelFunc: (args) => (stockCalls.push(args.attrs), { dataId: {}, shape: [], dtype: 'float32' }) });
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const backend = tf.backend() as unknown as { readSync(dataId: object): Float32Array; disposeData(dataId: object): void };
    const output = kernel.kernelFunc({ inputs: { x }, backend: tf.backend(), attrs: { axis: [0], keepDims: true } }) as tf.TensorInfo;
    expect(output.shape).toEqual([1, 2]);
    expect(Array.from(backend.readSync(output.dataId))).toEqual([9, 12]);
    backend.disposeData(output.dataId);
    expect(stockCalls).toEqual([]);
    kernel.kernelFunc({ inputs: { x }, backend: tf.backend(), attrs: { axis: [1], keepDims: false } });
    expect(stockCalls).toHaveLength(1);
  });

  it('gives what the cpu backend gives, to float tolerance, on every path', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    const onWasm = sums();
    await selectBackend({ backend: 'cpu', env: {} });
    const onCpu = sums();
    expect(onWasm.map((entry) => entry.shape)).toEqual(onCpu.map((entry) => entry.shape));
    onWasm.forEach((entry, index) => entry.values.forEach((value, at) => expect(value).toBeCloseTo(onCpu[index]!.values[at]!, 5)));
  });
});
