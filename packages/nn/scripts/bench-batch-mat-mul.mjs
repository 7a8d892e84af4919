// Benchmark, not a test: does batchMatMul (explicit transposes, flag-free gradient) beat
// tf.matMul (transpose flags, stock gradient) for attention-shaped products on the wasm backend?
//
//   pnpm --filter @imecd/nn bench          (builds dist/ first, then runs this file)
//
// Shapes: B·H = 512 (batch 256 × 2 heads), L = 50, head width 32.
//   scores  = Q·Kᵀ : [512, 50, 32]·[512, 50, 32]ᵀ → [512, 50, 50]
//   context = P·V  : [512, 50, 50]·[512, 50, 32]  → [512, 50, 32]
// plus a batch of one, [1, 1024, 64]·[1, 1024, 64]ᵀ → [1, 1024, 1024], where batchMatMul takes
// the 2-D path.
// Each case runs forward only, and forward + backward (tf.grads with respect to both operands),
// synchronised by reading the results. Reports median and minimum over the timed runs.
// Environment: REPETITIONS (default 7), BACKEND (default wasm; 'cpu' for comparison).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRng } from '@imecd/core';
import { batchMatMul } from '@imecd/nn';

const WARM_UP = 2;
const REPETITIONS = Number(process.env.REPETITIONS ?? 7);

function synthetic(shape, seed) {
  const rng = createRng(seed);
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => rng.normal()),
    shape,
    'float32',
  );
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Milliseconds of one call of fn(), which returns tensors to read (forcing completion) and dispose. */
function timeOnce(fn) {
  const start = performance.now();
  const outputs = fn();
  for (const output of outputs) output.dataSync();
  const elapsed = performance.now() - start;
  tf.dispose(outputs);
  return elapsed;
}

function forwardOnly(product, a, b) {
  return () => [product(a, b)];
}

function forwardBackward(product, a, b) {
  return () =>
    tf.tidy(() => {
      const value = product(a, b);
      return [value, ...tf.grads((x, y) => product(x, y))([a, b])];
    });
}

await tf.setBackend(process.env.BACKEND ?? 'wasm');
const query = synthetic([512, 50, 32], 1);
const key = synthetic([512, 50, 32], 2);
const probabilities = tf.softmax(synthetic([512, 50, 50], 3));
const value = synthetic([512, 50, 32], 4);
const wideLeft = synthetic([1, 1024, 64], 5);
const wideRight = synthetic([1, 1024, 64], 6);

const cases = [
  ['Q·Kᵀ  tf.matMul(q, k, false, true)', query, key, (x, y) => tf.matMul(x, y, false, true)],
  ['Q·Kᵀ  batchMatMul(q, k, {transposeB})', query, key, (x, y) => batchMatMul(x, y, { transposeB: true })],
  ['P·V   tf.matMul(p, v)', probabilities, value, (x, y) => tf.matMul(x, y)],
  ['P·V   batchMatMul(p, v)', probabilities, value, (x, y) => batchMatMul(x, y)],
  ['B=1   tf.matMul(a, b, false, true)', wideLeft, wideRight, (x, y) => tf.matMul(x, y, false, true)],
  ['B=1   batchMatMul(a, b, {transposeB})', wideLeft, wideRight, (x, y) => batchMatMul(x, y, { transposeB: true })],
].map(([label, a, b, product]) => ({
  label,
  forward: forwardOnly(product, a, b),
  both: forwardBackward(product, a, b),
  samples: { forward: [], both: [] },
}));

// Round-robin over the cases, so load from other processes falls on all of them alike.
for (let run = 0; run < WARM_UP + REPETITIONS; run++) {
  for (const entry of cases) {
    const forward = timeOnce(entry.forward);
    const both = timeOnce(entry.both);
    if (run >= WARM_UP) {
      entry.samples.forward.push(forward);
      entry.samples.both.push(both);
    }
  }
}

console.log(
  `backend ${tf.getBackend()}, tfjs ${tf.version.tfjs}, node ${process.version}, ${REPETITIONS} runs after ${WARM_UP} warm-up runs`,
);
console.log('case'.padEnd(40), 'forward median/min ms'.padStart(22), 'fwd+bwd median/min ms'.padStart(22));
for (const { label, samples } of cases) {
  const show = (values) => `${median(values).toFixed(1)} / ${Math.min(...values).toFixed(1)}`;
  console.log(label.padEnd(40), show(samples.forward).padStart(22), show(samples.both).padStart(22));
}
