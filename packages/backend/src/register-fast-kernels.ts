import * as tf from '@tensorflow/tfjs';
import { createGatherRowsKernel, isGatherRowsKernel } from './gather-rows';
import { createSharedIdentityKernel, isSharedIdentityKernel } from './share-identity';
import { createTileKernel, isTileKernel } from './tile-rows';
import { createTransposeKernel, isTransposeKernel } from './transpose-last-two';
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
 * and, once the wasm backend is imported, a row-copying `GatherV2`, a tiled `Transpose` (of the
 * last two axes), a data-sharing `Identity` and a row-copying `Tile` on wasm, each falling back on
 * wasm's own kernel for every other call. Safe to call any number of times; the segment sum works
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
  // These wrap wasm's own kernels, so they can only go in after the wasm package registered those.
  for (const [name, wrap, isWrapped] of WASM_WRAPPERS) {
    const stock = tf.getKernel(name, 'wasm');
    if (stock === undefined || isWrapped(stock.kernelFunc)) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(wrap(stock));
  }
}

/** wasm kernels replaced on the common path only: kernel name, wrapper of the stock kernel, and how to recognise the wrapper. */
const WASM_WRAPPERS: readonly [
  string,
  (stock: tf.KernelConfig) => tf.KernelConfig,
  (kernelFunc: tf.KernelFunc) => boolean,
][] = [
  ['GatherV2', createGatherRowsKernel, isGatherRowsKernel],
  ['Transpose', createTransposeKernel, isTransposeKernel],
  ['Identity', createSharedIdentityKernel, isSharedIdentityKernel],
  ['Tile', createTileKernel, isTileKernel],
];
