import * as tf from '@tensorflow/tfjs';
import { createGatherRowsKernel, isGatherRowsKernel } from './gather-rows';
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
 * Registers the linear-time `UnsortedSegmentSum` for the wasm and cpu backends, replacing cpu's own,
 * and, once the wasm backend is imported, a row-copying `GatherV2` on wasm that falls back on wasm's
 * own for anything but whole-row lookups. Safe to call any number of times; the segment sum works
 * before the wasm backend is imported, because tfjs keys its kernel registry by backend name.
 */
export function registerFastKernels(): void {
  for (const kernel of FAST_KERNELS) {
    const existing = tf.getKernel(kernel.kernelName, kernel.backendName);
    if (existing?.kernelFunc === kernel.kernelFunc) continue;
    // registerKernel refuses (with a warning) to overwrite, so the stock kernel goes first.
    if (existing !== undefined) tf.unregisterKernel(kernel.kernelName, kernel.backendName);
    tf.registerKernel(kernel);
  }
  // The row gather wraps wasm's own kernel, so it can only go in after the wasm package registered it.
  const stockGather = tf.getKernel('GatherV2', 'wasm');
  if (stockGather !== undefined && !isGatherRowsKernel(stockGather.kernelFunc)) {
    tf.unregisterKernel('GatherV2', 'wasm');
    tf.registerKernel(createGatherRowsKernel(stockGather));
  }
}
