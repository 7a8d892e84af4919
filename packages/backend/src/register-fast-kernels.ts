import * as tf from '@tensorflow/tfjs';
import { createUnsortedSegmentSumKernel } from './unsorted-segment-sum';

/**
 * Created once so that registering again can recognise them by identity. wasm has no
 * `UnsortedSegmentSum` at all, so without this kernel no embedding table can be trained there;
 * cpu has one that is O(numSegments × size) and keeps its intermediates alive (over 16 GB for 12,000 segments).
 */
const FAST_KERNELS: readonly tf.KernelConfig[] = [
  createUnsortedSegmentSumKernel('wasm'),
  createUnsortedSegmentSumKernel('cpu'),
];

/**
 * Registers the linear-time `UnsortedSegmentSum` for the wasm and cpu backends, replacing cpu's own.
 * Safe to call any number of times; works before the wasm backend is imported, because tfjs keys
 * its kernel registry by backend name.
 */
export function registerFastKernels(): void {
  for (const kernel of FAST_KERNELS) {
    const existing = tf.getKernel(kernel.kernelName, kernel.backendName);
    if (existing?.kernelFunc === kernel.kernelFunc) continue;
    // registerKernel refuses (with a warning) to overwrite, so the stock kernel goes first.
    if (existing !== undefined) tf.unregisterKernel(kernel.kernelName, kernel.backendName);
    tf.registerKernel(kernel);
  }
}
