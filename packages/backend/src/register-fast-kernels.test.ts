import { createRng } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGatherRowsKernel } from './gather-rows';
import { registerFastKernels } from './register-fast-kernels';
import { selectBackend } from './select-backend';
import { isSharedIdentityKernel } from './share-identity';
import { isTransposeKernel } from './transpose-last-two';
import { fastPathOf } from './wrap-stock-kernel';

// A synthetic embedding table [6, 3] looked up with repeats (row 2 three times) and gaps (rows 3, 4).
const TABLE_ROWS = 6;
const WIDTH = 3;
const INDICES = [0, 2, 2, 5, 1, 2];

const rng = createRng(21);
const tableValues = Array.from({ length: TABLE_ROWS * WIDTH }, () => rng.next() * 2 - 1);
const weightValues = Array.from({ length: INDICES.length * WIDTH }, () => rng.next() * 2 - 1);

/** loss(T) = Σ gather(T, INDICES)² ⊙ W: non-linear, so the gradient depends on T itself. */
function embeddingLoss(table: tf.Tensor): tf.Scalar {
  const rows = tf.gather(table, tf.tensor1d(INDICES, 'int32')); // [6, 3]
  return tf.sum(tf.mul(tf.square(rows), tf.tensor2d(weightValues, [INDICES.length, WIDTH])));
}

function gatherGradientOn(): number[] {
  return tf.tidy(() =>
    Array.from(
      tf
        .grad(embeddingLoss)(tf.tensor2d(tableValues, [TABLE_ROWS, WIDTH]))
        .dataSync(),
    ),
  );
}

describe('registerFastKernels', () => {
  let previousBackend: string | null = null;

  beforeAll(() => {
    previousBackend = tf.engine().backendName ?? null;
  });
  afterAll(async () => {
    if (previousBackend !== null) await tf.setBackend(previousBackend);
  });

  it('registers UnsortedSegmentSum for wasm and cpu, once however often it is called', () => {
    registerFastKernels();
    const wasmKernel = tf.getKernel('UnsortedSegmentSum', 'wasm');
    const cpuKernel = tf.getKernel('UnsortedSegmentSum', 'cpu');
    expect(wasmKernel).toBeDefined();
    registerFastKernels();
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBe(wasmKernel);
    expect(tf.getKernel('UnsortedSegmentSum', 'cpu')).toBe(cpuKernel);
  });

  it("wraps wasm's GatherV2, Transpose and Identity once the wasm backend is loaded, and only once, and leaves its Sum alone", async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    expect(fastPathOf(tf.getKernel('Sum', 'wasm')!.kernelFunc)).toBeUndefined();
    const wrapped = { GatherV2: isGatherRowsKernel, Transpose: isTransposeKernel, Identity: isSharedIdentityKernel };
    for (const [name, isWrapper] of Object.entries(wrapped)) {
      const kernel = tf.getKernel(name, 'wasm');
      expect(kernel !== undefined && isWrapper(kernel.kernelFunc)).toBe(true);
      registerFastKernels();
      expect(tf.getKernel(name, 'wasm')).toBe(kernel);
    }
  });

  it('makes the gradient of tf.gather agree between wasm, cpu, the formula and finite differences', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    const onWasm = gatherGradientOn();
    await selectBackend({ backend: 'cpu', env: {} });
    const onCpu = gatherGradientOn();

    // dL/dT[r] = Σ over lookups i of row r: 2 T[r] W[i]
    const byFormula = new Array<number>(TABLE_ROWS * WIDTH).fill(0);
    INDICES.forEach((row, lookup) => {
      for (let column = 0; column < WIDTH; column++) {
        const t = tableValues[row * WIDTH + column] ?? Number.NaN;
        const w = weightValues[lookup * WIDTH + column] ?? Number.NaN;
        byFormula[row * WIDTH + column] = (byFormula[row * WIDTH + column] ?? 0) + 2 * t * w;
      }
    });

    await selectBackend({ backend: 'wasm', env: {} });
    const step = 1e-2;
    const byFiniteDifferences = tableValues.map((_, index) => {
      const shifted = (delta: number) =>
        tf.tidy(() => {
          const values = [...tableValues];
          values[index] = (values[index] ?? 0) + delta;
          return embeddingLoss(tf.tensor2d(values, [TABLE_ROWS, WIDTH])).dataSync()[0] ?? Number.NaN;
        });
      return (shifted(step) - shifted(-step)) / (2 * step);
    });

    for (let index = 0; index < onWasm.length; index++) {
      expect(onWasm[index]).toBeCloseTo(onCpu[index] ?? Number.NaN, 5);
      expect(onWasm[index]).toBeCloseTo(byFormula[index] ?? Number.NaN, 4);
      expect(onWasm[index]).toBeCloseTo(byFiniteDifferences[index] ?? Number.NaN, 3);
    }
    // Rows 3 and 4 are never looked up, so their gradient is exactly zero.
    expect(onWasm.slice(3 * WIDTH, 5 * WIDTH)).toEqual(new Array<number>(2 * WIDTH).fill(0));
  });

  it('lets Adam train an embedding table on wasm without leaking tensors', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    const table = tf.variable(tf.tensor2d(tableValues, [TABLE_ROWS, WIDTH]));
    const optimizer = tf.train.adam(0.05);
    const initial = table.arraySync();
    const lossOf = (): tf.Scalar => tf.tidy(() => embeddingLoss(table));
    const losses: number[] = [];
    const tensorCounts: number[] = [];
    for (let step = 0; step < 4; step++) {
      const loss = optimizer.minimize(lossOf, true, [table]);
      losses.push(loss?.dataSync()[0] ?? Number.NaN);
      loss?.dispose();
      tensorCounts.push(tf.memory().numTensors);
    }
    const trained = table.arraySync();
    optimizer.dispose();
    table.dispose();

    expect(losses[3]).toBeLessThan(losses[0] ?? Number.NaN);
    // Adam's first step moves every looked-up entry with a non-zero gradient and no other entry.
    for (const row of [0, 1, 2, 5]) expect(trained[row]).not.toEqual(initial[row]);
    for (const row of [3, 4]) expect(trained[row]).toEqual(initial[row]);
    // The first step creates Adam's moment slots; after that the count must stay flat.
    expect(tensorCounts.slice(1)).toEqual([tensorCounts[1], tensorCounts[1], tensorCounts[1]]);
  });
});
