// Runs the kernels the models use on one backend (KERNEL_BACKEND, default wasm, with IMECD_THREADS
// threads) and prints their values as JSON; it must end by itself (no process.exit), which the wasm
// threads test times; scripts/gpu-check.mjs compares backends with it. SYNTHETIC inputs.
import { selectBackend } from '../dist/index.js';

const backend = process.env.KERNEL_BACKEND || 'wasm';
let selection;
try {
  selection = await selectBackend({ backend, allowSoftwareAdapter: process.env.KERNEL_SOFTWARE_ADAPTER === '1' });
} catch (error) {
  process.stdout.write(JSON.stringify({ backend, unavailable: error.message }));
  process.exitCode = 2;
}
if (selection) printValues(selection);

function printValues({ tf, threads, name, adapter }) {
  const a = tf.randomNormal([96, 80], 0, 1, 'float32', 1);
  const b = tf.randomNormal([80, 112], 0, 1, 'float32', 2);
  const q = tf.randomNormal([4, 2, 12, 16], 0, 1, 'float32', 3);
  const table = tf.randomNormal([50, 24], 0, 1, 'float32', 4);
  const ids = tf.tensor1d([3, 0, 49, 7, 7, 21], 'int32');
  const kernels = {
    matMul: tf.matMul(a, b),
    batchMatMul: tf.matMul(q, q, false, true),
    softmax: tf.softmax(tf.matMul(a, b)),
    logSoftmax: tf.logSoftmax(tf.matMul(a, b)),
    gather: tf.gather(table, ids),
    sum: tf.sum(tf.matMul(a, b), 1),
    mean: tf.mean(a, 0),
    rsqrt: tf.rsqrt(tf.add(tf.square(a), 1)),
    tanh: tf.tanh(a),
    erf: tf.erf(a),
    relu: tf.relu(a),
    grad: tf.grad((x) => tf.sum(tf.softmax(tf.matMul(x, b))))(a),
    // The embedding gradient: what makes ID tables trainable (the package's own kernel on wasm).
    segmentSum: tf.unsortedSegmentSum(tf.gather(table, ids), tf.tensor1d([1, 0, 2, 1, 1, 0], 'int32'), 3),
    embeddingGrad: tf.grad((t) => tf.sum(tf.square(tf.gather(t, ids))))(table),
  };
  const values = Object.fromEntries(
    Object.entries(kernels).map(([name, tensor]) => [name, Array.from(tensor.dataSync())]),
  );
  process.stdout.write(
    JSON.stringify({ backend: name, threads: threads ?? 1, ...(adapter ? { adapter } : {}), values }),
  );
}
