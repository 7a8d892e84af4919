// Test-only: records the transpose flags of every BatchMatMul kernel call on the current backend.
import * as tf from '@tensorflow/tfjs';

export interface MatMulCall {
  transposeA: boolean;
  transposeB: boolean;
}

/** Runs `fn` with BatchMatMul wrapped to record its attributes; disposes what `fn` returns. */
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
