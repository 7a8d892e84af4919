import * as tf from '@tensorflow/tfjs-core';

/** One BatchMatMul kernel call's transpose flags. */
export interface MatMulCall {
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * Runs `fn` with the current backend's BatchMatMul kernel wrapped to record each call's transpose
 * flags (how many products a step runs, and whether any take wasm's slow flagged path); disposes
 * what `fn` returns and restores the kernel.
 */
export function recordMatMulFlags(fn: () => tf.TensorContainer): MatMulCall[] {
  const backendName = tf.getBackend();
  const original = tf.getKernel('BatchMatMul', backendName);
  if (original === undefined) throw new Error(`BatchMatMul is not registered for ${backendName}`);
  const calls: MatMulCall[] = [];
  tf.unregisterKernel('BatchMatMul', backendName);
  tf.registerKernel({
    ...original,
    kernelFunc: (parameters) => {
      const { transposeA, transposeB } = parameters.attrs as unknown as MatMulCall;
      calls.push({ transposeA, transposeB });
      return original.kernelFunc(parameters);
    },
  });
  try {
    tf.dispose(fn());
  } finally {
    tf.unregisterKernel('BatchMatMul', backendName);
    tf.registerKernel(original);
  }
  return calls;
}
