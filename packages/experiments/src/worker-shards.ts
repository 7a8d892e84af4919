import { Worker } from 'node:worker_threads';
import { ImecdError } from '@imecd/core';
import type { GradientReply, GradientRequest, GradientShard } from '@imecd/recommender';
import type { Hyperparameters, ModalityInputs } from './model-registry';

/** What a gradient worker needs to build its copy of the model (sent as the thread's workerData). */
export interface WorkerSetup {
  /** The backend the worker thread loads, by name (the caller's worker script selects it). */
  backend: string;
  /** The registry name of the model. */
  model: string;
  numItems: number;
  seed: number;
  hyperparameters: Hyperparameters;
  /** The dataset's side information, for a model that reads features. */
  inputs: ModalityInputs;
}

/** Messages from a gradient worker. */
export type WorkerMessage =
  | { ready: true }
  | { failed: string }
  | { id: number; reply: GradientReply }
  | { id: number; error: string };

/** A gradient worker failed to start, died, or could not compute a part. */
export class GradientWorkerError extends ImecdError {
  constructor(message: string) {
    super('GRADIENT_WORKER', `gradient worker: ${message}`);
  }
}

/**
 * Starts `count` threads of `script` (a module that selects the thread's backend and calls
 * serveGradientShard: only the caller chooses backends), each with its own copy of the model, and
 * returns them as the trainer's gradient shards once all are ready. Dispose them to end the threads.
 */
export async function createWorkerShards(
  script: string | URL,
  count: number,
  setup: WorkerSetup,
): Promise<GradientShard[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => startWorker(script, setup)));
  const shards = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failure = started.find((outcome) => outcome.status === 'rejected');
  if (failure !== undefined) {
    await Promise.all(shards.map((shard) => shard.dispose()));
    throw (failure as PromiseRejectedResult).reason;
  }
  return shards;
}

function startWorker(script: string | URL, setup: WorkerSetup): Promise<GradientShard> {
  const worker = new Worker(script, { workerData: setup });
  const pending = new Map<number, { resolve: (reply: GradientReply) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let fatal: Error | undefined;
  const failAll = (error: Error) => {
    fatal ??= error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  return new Promise((resolve, reject) => {
    worker.on('error', (error) => {
      const wrapped = new GradientWorkerError(error.message);
      failAll(wrapped);
      reject(wrapped);
    });
    worker.on('exit', (code) => {
      const error = new GradientWorkerError(`exited with code ${code}`);
      failAll(error);
      reject(error); // a worker that exits before it is ready (no-op once it was)
    });
    worker.on('message', (message: WorkerMessage) => {
      if ('ready' in message) {
        resolve({
          gradients(request: GradientRequest) {
            if (fatal !== undefined) return Promise.reject(fatal);
            const id = nextId++;
            // Posted now, so the worker computes while the trainer's thread does its own part.
            worker.postMessage({ id, request });
            return new Promise<GradientReply>((resolveReply, rejectReply) =>
              pending.set(id, { resolve: resolveReply, reject: rejectReply }),
            );
          },
          async dispose() {
            fatal ??= new GradientWorkerError('disposed');
            await worker.terminate();
          },
        });
      } else if ('failed' in message) {
        reject(new GradientWorkerError(`could not start: ${message.failed}`));
        void worker.terminate();
      } else {
        const entry = pending.get(message.id);
        pending.delete(message.id);
        if ('reply' in message) entry?.resolve(message.reply);
        else entry?.reject(new GradientWorkerError(message.error));
      }
    });
  });
}
