/**
 * A worker thread of `train --workers N`: the app selects the thread's own backend (libraries never
 * do), then @imecd/experiments serves the trainer's gradient requests with a copy of the model.
 */
import { parseBackendChoice, selectBackend } from '@imecd/backend';
import { serveGradientShard } from '@imecd/experiments';
import { MODELS } from './registry';

await serveGradientShard({
  registry: MODELS,
  prepare: ({ backend }) => selectBackend({ backend: parseBackendChoice(backend, 'backend'), env: {} }),
});
