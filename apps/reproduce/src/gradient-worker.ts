/**
 * A worker thread of `train --workers N`: its own tfjs backend and its own copy of the model;
 * for every request it loads the trainer's weights and sends back the mean loss and gradient of
 * its part of the batch (see @imecd/recommender's GradientShard). Started by worker-shards.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '@imecd/backend';
import { createModel, type GradientRequest, shardGradients } from '@imecd/recommender';
import type { WorkerMessage, WorkerSetup } from './worker-shards';

const port = parentPort;
if (port === null) throw new Error('gradient-worker.js runs as a worker thread of `pnpm reproduce train --workers N`');
const setup = workerData as WorkerSetup;
try {
  await selectBackend({ backend: setup.backend, env: {} });
  const model = createModel(setup.model, {
    numItems: setup.numItems,
    seed: setup.seed,
    hyperparameters: setup.hyperparameters,
  });
  port.on('message', ({ id, request }: { id: number; request: GradientRequest }) => {
    try {
      const reply = shardGradients(model, request);
      port.postMessage(
        { id, reply } satisfies WorkerMessage,
        reply.gradients.map((gradient) => gradient.buffer as ArrayBuffer),
      );
    } catch (error) {
      port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies WorkerMessage);
    }
  });
  port.postMessage({ ready: true } satisfies WorkerMessage);
} catch (error) {
  port.postMessage({ failed: error instanceof Error ? error.message : String(error) } satisfies WorkerMessage);
}
