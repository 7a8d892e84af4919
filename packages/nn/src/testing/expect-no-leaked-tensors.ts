import * as tf from '@tensorflow/tfjs-core';
import { TensorAssertionError } from './tensor-assertion-error';

/**
 * Runs `fn` twice and fails if the second run leaves more live tensors than the first. The first
 * run is a warm-up: lazily created constants and backend caches may appear once and stay. The
 * tensors in what `fn` returns (a tensor, or arrays and plain objects holding tensors, such as
 * `tf.variableGrads`'s result) are disposed for it; everything else `fn` creates must be
 * disposed by `fn` itself (or created inside `tf.tidy`).
 */
export async function expectNoLeakedTensors(fn: () => unknown): Promise<void> {
  const run = async (): Promise<number> => {
    disposeReturned(await fn());
    return tf.memory().numTensors;
  };
  const afterWarmUp = await run();
  const afterSecond = await run();
  if (afterSecond > afterWarmUp) {
    throw new TensorAssertionError(
      `tensor leak: ${afterSecond - afterWarmUp} tensor(s) more after a second run (${afterWarmUp} → ${afterSecond})`,
    );
  }
}

function disposeReturned(result: unknown): void {
  if (typeof result === 'object' && result !== null) tf.dispose(result as tf.TensorContainer);
}
