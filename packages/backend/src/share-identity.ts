import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { type FastPath, fastPathOf, type WasmLikeBackend, wrapStockKernel } from './wrap-stock-kernel';

/** Whether `kernelFunc` is one that {@link createSharedIdentityKernel} made. */
export const isSharedIdentityKernel = (kernelFunc: KernelFunc): boolean => fastPathOf(kernelFunc) === shareData;

/**
 * An `Identity` for the wasm backend that hands back the input's data with one more reference, as
 * wasm's own `Reshape` (and the cpu backend's `Identity`) do, where wasm's `Identity` copies every
 * element. tfjs never writes into a tensor's data after creating it, so sharing is safe. Custom
 * gradients and `tf.clone` run it on every tensor they pass through: an IMECD toys step copied
 * ~50 ms of item tables and activations this way.
 */
export function createSharedIdentityKernel(stock: KernelConfig): KernelConfig {
  return wrapStockKernel(stock, shareData);
}

/** The fast path: any non-string tensor; strings go to the stock kernel. */
function shareData({ inputs, backend }: Parameters<FastPath>[0]): ReturnType<FastPath> {
  const x = inputs.x;
  if (x === undefined || x.dtype === 'string') return undefined;
  (backend as WasmLikeBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}
