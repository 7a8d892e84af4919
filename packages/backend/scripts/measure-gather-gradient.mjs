// Times the gradient of tf.gather at the benchmark's size: a [12800] index (batch 256 × length 50)
// into a [12000, 64] embedding table. Not a test: run it by hand after `pnpm build`:
//   node packages/backend/scripts/measure-gather-gradient.mjs
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRng } from '@imecd/core';
import { describeBackend, selectBackend } from '../dist/index.js';

const ITEMS = 12000;
const WIDTH = 64;
const LOOKUPS = 12800;
const REPEATS = 5;

const rng = createRng(2026);
const indexValues = Int32Array.from({ length: LOOKUPS }, () => rng.nextInt(ITEMS));
const tableValues = Float32Array.from({ length: ITEMS * WIDTH }, () => rng.normal() * 0.05);
const upstreamValues = Float32Array.from({ length: LOOKUPS * WIDTH }, () => rng.normal());

/** Median milliseconds of `run` over REPEATS calls, after one warm-up call. */
function medianMs(run) {
  run();
  const times = [];
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(REPEATS / 2)];
}

/**
 * Reads outside tf.tidy on purpose: tidy walks every key of the value it returns looking for
 * tensors, which for a 768,000-element typed array costs more than the kernel.
 */
function readAndDispose(tensor) {
  tensor.dataSync();
  tensor.dispose();
}

function measure() {
  const table = tf.tensor2d(tableValues, [ITEMS, WIDTH]);
  const indices = tf.tensor1d(indexValues, 'int32');
  const upstream = tf.tensor2d(upstreamValues, [LOOKUPS, WIDTH]); // dL/d(gathered rows)
  const loss = (t) => tf.sum(tf.mul(tf.gather(t, indices), upstream));
  const gradient = tf.grad(loss);
  const gradientMs = medianMs(() => readAndDispose(tf.tidy(() => gradient(table))));
  const segmentSumMs = medianMs(() => readAndDispose(tf.unsortedSegmentSum(upstream, indices, ITEMS)));
  tf.dispose([table, indices, upstream]);
  return { gradientMs, segmentSumMs };
}

// Stock wasm first, before selectBackend registers the kernel.
await tf.setBackend('wasm');
let stockWasm;
try {
  measure();
  stockWasm = 'ran';
} catch (error) {
  stockWasm = `fails: ${error.message}`;
}

const results = { stockWasm };
for (const backend of ['wasm', 'cpu']) {
  await selectBackend({ backend, env: {} });
  const { gradientMs, segmentSumMs } = measure();
  results[backend] = { gatherGradientMs: +gradientMs.toFixed(1), unsortedSegmentSumMs: +segmentSumMs.toFixed(1) };
}
await selectBackend({ backend: 'wasm', env: {} });
console.log(
  JSON.stringify(
    { shape: { table: [ITEMS, WIDTH], indices: [LOOKUPS] }, repeats: REPEATS, results, environment: describeBackend() },
    null,
    2,
  ),
);
