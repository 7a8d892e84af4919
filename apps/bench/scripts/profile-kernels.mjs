// Where a training step's time goes, kernel by kernel (not a test; run after `pnpm build`):
//   node apps/bench/scripts/profile-kernels.mjs [sasrec|imecd|mm-fusion|imecd-…] [toys|scientific|games|instruments-mm] [step|epoch|eval]
// step: full-size shuffled batches, longest first (the bench's step shapes); epoch: STEPS
// batches of the trainer's length-bucketed epoch, spread over it; eval: one full-ranking pass
// over all test users (figures are then per pass, not per step).
// Every kernel registered on the backend is wrapped with a wall-clock timer (wasm kernels run
// synchronously, so a kernel's wall time is its cost); tf.profile cannot do this because it
// fails on customGrad ops in the backward pass. Prints milliseconds per step by kernel and by
// kernel + input shapes, over the timed steps after one warm-up step.

import { selectBackend } from '@imecd/backend';
import { loadDataset, splitLeaveOneOut } from '@imecd/data-amazon';
import { createImecdVariant } from '@imecd/imecd';
import {
  createSasrec,
  evaluateFullRanking,
  makeTrainingBatches,
  makeTrainingWindows,
  splitBatch,
} from '@imecd/recommender';
import * as tf from '@tensorflow/tfjs';

const [modelName = 'sasrec', datasetName = 'toys', mode = 'step'] = process.argv.slice(2);
const STEPS = mode === 'eval' ? 1 : Number(process.env.STEPS ?? 2);
const selection = await selectBackend();
const dataset = await loadDataset(new URL(`../../../datasets/${datasetName}`, import.meta.url).pathname, {
  name: datasetName,
});
const split = splitLeaveOneOut(dataset, { maxHistory: 50 });
const windows = makeTrainingWindows(split.train.sequences, 50);
const epoch = makeTrainingBatches(windows, { seed: 1 });
const batches =
  mode === 'epoch'
    ? [
        epoch[0],
        ...Array.from({ length: STEPS }, (_, index) => epoch[Math.floor(((index + 0.5) * epoch.length) / STEPS)]),
      ]
    : makeTrainingBatches(windows, { seed: 1, strategy: 'random' })
        .filter((batch) => batch.size === 256)
        .sort((a, b) => b.length - a.length)
        .slice(0, 1 + STEPS);
// NEGATIVES=K profiles SASRec with sampled softmax (negativeSamples K) instead of the full softmax.
const model =
  modelName === 'sasrec'
    ? createSasrec({ numItems: dataset.numItems, negativeSamples: Number(process.env.NEGATIVES ?? 0) })
    : createImecdVariant(modelName, {
        numItems: dataset.numItems,
        // HIDDEN=N: the width per stream (reproduce's toys preset trains the IMECD family at 32).
        ...(process.env.HIDDEN ? { hiddenSize: Number(process.env.HIDDEN) } : {}),
        // Item codes where the dataset has them (instruments-mm, games), else the dense features, as reproduce reads
        // them by default; TEXT_INPUT=features / IMAGE_INPUT=features reads the matrix instead (games' preset: text).
        features: Object.fromEntries(
          ['text', 'image']
            .map((key) => [
              key,
              process.env[`${key.toUpperCase()}_INPUT`] === 'features'
                ? dataset.features[key]
                : (dataset.itemCodes?.[key] ?? dataset.features[key]),
            ])
            .filter(([, input]) => input !== undefined),
        ),
      });

const byKernel = new Map();
const byShape = new Map();
const calls = new Map(); // kernel + shapes → calls over the timed steps
let timing = false;
for (const config of tf.getKernelsForBackend(selection.engineName)) {
  const { kernelFunc } = config;
  tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => {
      const started = performance.now();
      const output = kernelFunc(args);
      if (timing) {
        const ms = performance.now() - started;
        const shapes = `${config.kernelName} ${Object.values(args.inputs)
          .map((input) => `[${input.shape}]`)
          .join(' ')}`;
        byKernel.set(config.kernelName, (byKernel.get(config.kernelName) ?? 0) + ms);
        byShape.set(shapes, (byShape.get(shapes) ?? 0) + ms);
        calls.set(shapes, (calls.get(shapes) ?? 0) + 1);
      }
      return output;
    },
  });
}

let total = 0;
if (mode === 'eval') {
  evaluateFullRanking(model, {
    histories: split.test.histories.slice(0, 256),
    targets: split.test.targets.slice(0, 256),
  }); // warm-up
  timing = true;
  const started = performance.now();
  evaluateFullRanking(model, split.test);
  total = performance.now() - started;
}
const optimizer = tf.train.adam(1e-3);
(mode === 'eval' ? [] : batches).forEach((batch, index) => {
  timing = index > 0;
  const started = performance.now();
  // MAX_POSITIONS=N steps a batch over N padded positions as parts, as the trainer's maxStepPositions
  // does (here one optimizer step per part: the kernels are the parts' forward and backward passes).
  const maxPositions = Number(process.env.MAX_POSITIONS ?? Number.POSITIVE_INFINITY);
  const parts = splitBatch(batch, Math.max(1, Math.ceil((batch.size * batch.length) / maxPositions)));
  for (const part of parts) {
    const loss = optimizer.minimize(() => model.loss(part, { seed: index + 1 }), true, [...model.variables]);
    loss.dataSync();
    loss.dispose();
  }
  if (timing) total += performance.now() - started;
});
const print = (title, map, rows) => {
  console.log(`\n${title}`);
  for (const [name, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows))
    console.log(
      `${(ms / STEPS).toFixed(1).padStart(9)} ms  ${name}${calls.has(name) ? `  (${(calls.get(name) / STEPS).toFixed(2)} calls)` : ''}`,
    );
};
const kernelMs = [...byKernel.values()].reduce((a, b) => a + b, 0);
console.log(
  `${modelName} on ${datasetName}, ${selection.name}: ${(total / STEPS).toFixed(0)} ms per ${mode === 'eval' ? `pass over ${split.test.targets.length} test users` : 'step'}, ${(kernelMs / STEPS).toFixed(0)} ms of it in kernels; ${mode} batches ${batches
    .slice(1)
    .map((batch) => `${batch.size}×${batch.length}`)
    .join(' ')}`,
);
print('by kernel (ms per step)', byKernel, 15);
print('by kernel and input shapes (ms per step)', byShape, Number(process.env.ROWS ?? 25));
