import { parentPort, workerData } from 'node:worker_threads';
import { type GradientRequest, shardGradients } from '@imecd/recommender';
import type { ModelRegistry } from './model-registry';
import { GradientWorkerError, type WorkerMessage, type WorkerSetup } from './worker-shards';

/** What a gradient worker thread serves with. */
export interface GradientShardServerOptions {
  /** Builds the thread's copy of the model, by the name the run records. */
  registry: ModelRegistry;
  /**
   * Readies the thread before the model is built: where the caller's worker script selects the
   * thread's backend (`setup.backend`), since libraries never choose one. Default: nothing.
   */
  prepare?: (setup: WorkerSetup) => unknown;
}

/**
 * The body of a gradient worker thread started by createWorkerShards: its own copy of the model;
 * for every request it loads the trainer's weights and sends back the mean loss and gradient of
 * its part of the batch (see @imecd/recommender's GradientShard). A failure to start is reported
 * to the trainer, which names it.
 */
export async function serveGradientShard(options: GradientShardServerOptions): Promise<void> {
  const port = parentPort;
  if (port === null) throw new GradientWorkerError('serveGradientShard runs in a thread of createWorkerShards');
  // The thread's data is the WorkerSetup createWorkerShards posted; the structured clone keeps no type.
  const setup: WorkerSetup = workerData;
  try {
    await options.prepare?.(setup);
    const model = options.registry.create(setup.model, setup);
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
}
