import type { BackendValues, DataId, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

/** The backend methods the fast paths use; the wasm backend of tfjs 4.22 has them. */
export interface WasmLikeBackend {
  readSync(dataId: DataId): BackendValues;
  makeOutput(shape: number[], dtype: string, memoryOffset?: number, values?: BackendValues): TensorInfo;
  disposeData(dataId: DataId): boolean;
  /** One more reference to a tensor's data, which stays until every holder disposes it. */
  incRef(dataId: DataId): void;
  /**
   * A view on the wasm heap where the tensor lives (no copy). Take views only after the last
   * allocation of a kernel: an allocation can grow the heap and detach earlier views.
   */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** A kernel's fast path: its result, or undefined to let `stock`, the kernel it wraps, take the call. */
export type FastPath = (args: Parameters<KernelFunc>[0], stock: KernelConfig) => TensorInfo | undefined;

const FAST_PATHS = new WeakMap<KernelFunc, FastPath>();

/**
 * A kernel under `stock`'s name and backend that runs `fastPath` and falls back on `stock` for whatever it
 * declines. It keeps `stock`'s setup and dispose functions: a wasm kernel binds its C++ function in its
 * setup, which tfjs runs when the backend starts, so where the wrapper is registered before that (in a
 * browser page) a wrapper without them would fall back on an unbound stock kernel.
 */
export function wrapStockKernel(stock: KernelConfig, fastPath: FastPath): KernelConfig {
  const kernelFunc: KernelFunc = (args) => fastPath(args, stock) ?? stock.kernelFunc(args);
  FAST_PATHS.set(kernelFunc, fastPath);
  return {
    kernelName: stock.kernelName,
    backendName: stock.backendName,
    kernelFunc,
    ...(stock.setupFunc === undefined ? {} : { setupFunc: stock.setupFunc }),
    ...(stock.disposeFunc === undefined ? {} : { disposeFunc: stock.disposeFunc }),
  };
}

/** The fast path `kernelFunc` wraps, when {@link wrapStockKernel} made it. */
export const fastPathOf = (kernelFunc: KernelFunc): FastPath | undefined => FAST_PATHS.get(kernelFunc);
