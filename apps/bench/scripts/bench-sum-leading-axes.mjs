// Benchmark, not a test: summing a float32 tensor over its leading axes on wasm (every bias,
// LayerNorm and position-embedding gradient), three ways, each on a FRESH tensor per call as in
// training (a gradient is new every step; reusing one tensor would hide per-call costs):
//   stock   — wasm's own Sum kernel (transposes the summed axes to the end first)
//   matmul  — ones[1, rows] · x on wasm's 2-D matmul (XNNPACK packs x as weights on every call)
//   heapJs  — a JS loop over a view of the wasm heap (float64 accumulators)
// This is why @imecd/backend leaves wasm's Sum alone: on fresh tensors neither alternative won.
//
//   pnpm build && node apps/bench/scripts/bench-sum-leading-axes.mjs
//
// Rounds are interleaved so that load from other jobs hits every variant alike; the minimum over
// ROUNDS (default 5) of the mean per call is the figure to compare.

import { selectBackend } from '@imecd/backend';
import * as tf from '@tensorflow/tfjs';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const CALLS = 10;
const SHAPES = [
  [3696, 64],
  [3696, 256],
  [12800, 64],
  [12800, 256],
  [112, 33, 64],
];

await selectBackend({ backend: 'wasm' });
const stockSum = tf.getKernel('Sum', 'wasm');
const backend = tf.backend();

const variants = {
  stock: (x, axes) => {
    const info = stockSum.kernelFunc({ inputs: { x }, backend, attrs: { axis: axes, keepDims: false } });
    return tf.engine().makeTensorFromTensorInfo(info);
  },
  matmul: (x, axes) => {
    const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
    return tf.tidy(() => tf.matMul(tf.ones([1, rows]), tf.reshape(x, [rows, -1])));
  },
  heapJs: (x, axes) => {
    const rowSize = x.shape.slice(axes.length).reduce((a, b) => a * b, 1);
    const output = backend.makeOutput(x.shape.slice(axes.length), 'float32');
    const values = backend.typedArrayFromHeap(x); // views after the allocation, which may grow the heap
    const sums = new Float64Array(rowSize);
    for (let offset = 0; offset < values.length; offset += rowSize)
      for (let column = 0; column < rowSize; column++) sums[column] += values[offset + column];
    backend.typedArrayFromHeap(output).set(sums);
    return tf.engine().makeTensorFromTensorInfo(output);
  },
};

console.log(`wasm, leading-axes sums of fresh tensors: ms per call, min over ${ROUNDS} rounds of ${CALLS} calls`);
console.log(['shape'.padEnd(16), ...Object.keys(variants).map((name) => name.padStart(9))].join(' '));
for (const shape of SHAPES) {
  const axes = shape.length === 3 ? [0, 1] : [0];
  const best = Object.fromEntries(Object.keys(variants).map((name) => [name, Infinity]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, sum] of Object.entries(variants)) {
      const inputs = Array.from({ length: CALLS }, () => tf.randomNormal(shape));
      sum(inputs[0], axes).dispose(); // warm-up
      const started = performance.now();
      for (const x of inputs) sum(x, axes).dispose();
      best[name] = Math.min(best[name], (performance.now() - started) / CALLS);
      tf.dispose(inputs);
    }
  }
  console.log([`[${shape}]`.padEnd(16), ...Object.values(best).map((ms) => ms.toFixed(2).padStart(9))].join(' '));
}
