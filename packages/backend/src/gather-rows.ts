import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { type FastPath, fastPathOf, type WasmLikeBackend, wrapStockKernel } from './wrap-stock-kernel';

/**
 * Copies whole rows: output row i = `values` row `indices[i]` (rows of `rowSize` numbers), into
 * `output` when given (it must hold indices.length × rowSize numbers), else into a new array.
 * Returns undefined when an index is outside [0, rows), for the caller to fall back on.
 */
export function gatherRows<T extends Float32Array | Int32Array>(
  values: T,
  indices: ArrayLike<number>,
  rowSize: number,
  output?: T,
): T | undefined {
  const rows = rowSize === 0 ? 0 : values.length / rowSize;
  const target =
    output ??
    ((values instanceof Int32Array
      ? new Int32Array(indices.length * rowSize)
      : new Float32Array(indices.length * rowSize)) as T);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i] as number;
    if (!(row >= 0 && row < rows)) return undefined;
    target.set(values.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
  }
  return target;
}

/** Whether `kernelFunc` is one that {@link createGatherRowsKernel} made. */
export const isGatherRowsKernel = (kernelFunc: KernelFunc): boolean => fastPathOf(kernelFunc) === copyRows;

/**
 * A `GatherV2` for the wasm backend that copies whole rows with `TypedArray.set` when the lookup
 * is along axis 0 with no batch dimensions (every embedding lookup and every row selection of
 * the models), and hands any other call to `stock`, wasm's own kernel. wasm's kernel moves one
 * element at a time: a [12,800]-row lookup into a [11,925, 64] table took 63 ms against 5–10 ms
 * here (apps/bench/scripts/profile-kernels.mjs shows it among a training step's kernels).
 */
export function createGatherRowsKernel(stock: KernelConfig): KernelConfig {
  return wrapStockKernel(stock, copyRows);
}

/** The fast path: axis-0 lookups of float32/int32 rows with in-range indices; undefined for anything else. */
function copyRows({ inputs, backend, attrs }: Parameters<FastPath>[0]): ReturnType<FastPath> {
  const x = inputs.x;
  const indices = inputs.indices;
  const rank = x?.shape.length ?? 0;
  const rawAxis = Number(attrs?.axis ?? 0);
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
  const plain =
    x !== undefined && indices !== undefined && rank >= 1 && axis === 0 && Number(attrs?.batchDims ?? 0) === 0;
  if (!plain || (x.dtype !== 'float32' && x.dtype !== 'int32') || indices.dtype !== 'int32') return undefined;
  const heap = backend as WasmLikeBackend;
  const rows = heap.readSync(indices.dataId) as Int32Array; // small: one id per looked-up row
  const rowShape = x.shape.slice(1);
  const output = heap.makeOutput([...indices.shape, ...rowShape], x.dtype);
  // Views only after the allocation above, which may have grown (and detached) the heap: the
  // table is read in place instead of copied out whole for every lookup.
  const copied = gatherRows(
    heap.typedArrayFromHeap(x) as Float32Array | Int32Array,
    rows,
    rowShape.reduce((product, size) => product * size, 1),
    heap.typedArrayFromHeap(output) as Float32Array | Int32Array,
  );
  if (copied === undefined) heap.disposeData(output.dataId);
  return copied === undefined ? undefined : output;
}
