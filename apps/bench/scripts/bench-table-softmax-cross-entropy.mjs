// Benchmark, not a test: tableSoftmaxCrossEntropy's forward + gradients on wasm at the shapes of
// SASRec training on toys (11,925 table rows, D = 64), for several chunk sizes.
//
//   pnpm build && node apps/bench/scripts/bench-table-softmax-cross-entropy.mjs
//
// S = 2,048 scored positions (a typical toys batch: 256 windows × ~8 real positions) and 8,192.
// Rounds are interleaved over the chunk sizes so that load from other jobs hits all of them
// alike; the minimum over ROUNDS (default 5) is the figure to compare.

import { selectBackend } from '@imecd/backend';
import { createRng } from '@imecd/core';
import { tableSoftmaxCrossEntropy } from '@imecd/nn';
import * as tf from '@tensorflow/tfjs';

// VARIANT_MODULE: another build of the loss (e.g. a copy of an older dist/index.js) to time side by side.
const variants = { current: tableSoftmaxCrossEntropy };
if (process.env.VARIANT_MODULE) variants.variant = (await import(process.env.VARIANT_MODULE)).tableSoftmaxCrossEntropy;

const ROWS = 11925;
const WIDTH = Number(process.env.WIDTH ?? 64); // 128: IMECD with two streams (the concatenated table)
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const CHUNKS = (process.env.CHUNKS ?? '128,256,512,1024').split(',').map(Number);

function synthetic(shape, seed, scale) {
  const rng = createRng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape[0] * shape[1] }, () => scale * rng.normal()),
    shape,
  );
}

await selectBackend({ backend: 'wasm' }); // with the fast UnsortedSegmentSum the loss's gradient needs
const table = synthetic([ROWS, WIDTH], 1, 0.1);
for (const positions of [2048, 8192]) {
  const hidden = synthetic([positions, WIDTH], 2, 1);
  const rng = createRng(3);
  const targets = Int32Array.from({ length: positions }, () => 1 + Math.floor(rng.next() * (ROWS - 1)));
  const step = ([name, chunkSize]) => {
    const loss = variants[name];
    const started = performance.now();
    const [dh, de] = tf.grads((h, e) => loss(h, e, targets, { chunkSize }))([hidden, table]);
    dh.dataSync();
    de.dataSync();
    tf.dispose([dh, de]);
    return performance.now() - started;
  };
  const cases = Object.keys(variants).flatMap((name) => CHUNKS.map((chunkSize) => [name, chunkSize]));
  for (const entry of cases) step(entry); // warm-up
  const times = cases.map(() => []);
  for (let round = 0; round < ROUNDS; round++)
    cases.forEach((entry, index) => {
      times[index].push(step(entry));
    });
  cases.forEach(([name, chunkSize], index) => {
    const list = times[index].sort((a, b) => a - b);
    console.log(
      `S ${positions}  ${name.padEnd(7)}  chunk ${String(chunkSize).padStart(4)}  min ${list[0].toFixed(0).padStart(5)} ms  median ${list[Math.floor(list.length / 2)].toFixed(0).padStart(5)} ms`,
    );
  });
  hidden.dispose();
}
