import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { type FastPath, fastPathOf, type WasmLikeBackend, wrapStockKernel } from './wrap-stock-kernel';

/**
 * Writes `input` (shape `shape`) tiled `reps` times along each axis into `output`: output element
 * (o_0, …, o_{r−1}) = input element (o_0 mod shape_0, …, o_{r−1} mod shape_{r−1}). Whole rows
 * of the last axis are copied with `TypedArray.set`, once per repetition; the leading axes are
 * walked with one counter per axis, so the cost is the output's size plus a few operations a row.
 */
export function tileInto<T extends Float32Array | Int32Array>(
  input: T,
  shape: readonly number[],
  reps: readonly number[],
  output: T,
): T {
  const rank = shape.length;
  if (rank === 0 || output.length === 0) return output;
  const rowSize = shape[rank - 1] as number;
  const rowReps = reps[rank - 1] as number;
  const outputRows = output.length / (rowSize * rowReps); // the output's rows of the last axis
  // Strides of the input's leading axes, in rows.
  const inputStrides = new Array<number>(rank - 1);
  let stride = 1;
  for (let axis = rank - 2; axis >= 0; axis--) {
    inputStrides[axis] = stride;
    stride *= shape[axis] as number;
  }
  const counters = new Array<number>(rank - 1).fill(0); // the output row's index along each leading axis
  const outputShape = shape.map((size, axis) => size * (reps[axis] as number));
  for (let outputRow = 0; outputRow < outputRows; outputRow++) {
    let inputRow = 0;
    for (let axis = 0; axis < rank - 1; axis++)
      inputRow += ((counters[axis] as number) % (shape[axis] as number)) * (inputStrides[axis] as number);
    const source = input.subarray(inputRow * rowSize, (inputRow + 1) * rowSize);
    const start = outputRow * rowSize * rowReps;
    for (let rep = 0; rep < rowReps; rep++) output.set(source, start + rep * rowSize);
    for (let axis = rank - 2; axis >= 0; axis--) {
      const next = (counters[axis] as number) + 1;
      if (next < (outputShape[axis] as number)) {
        counters[axis] = next;
        break;
      }
      counters[axis] = 0;
    }
  }
  return output;
}

/** Whether `kernelFunc` is one that {@link createTileKernel} made. */
export const isTileKernel = (kernelFunc: KernelFunc): boolean => fastPathOf(kernelFunc) === tileRows;

/**
 * A `Tile` for the wasm backend that copies whole rows of the last axis (float32 and int32, any
 * rank), and hands other dtypes to `stock`, wasm's own kernel, which computes every output
 * element's source index one at a time: tiling a [4, 192] slice of noise to [1,024, 192] (IMECD's
 * validation, once a batch) took ~11 ms there.
 */
export function createTileKernel(stock: KernelConfig): KernelConfig {
  return wrapStockKernel(stock, tileRows);
}

/** The fast path: float32/int32 inputs; undefined for anything else. */
function tileRows({ inputs, backend, attrs }: Parameters<FastPath>[0]): ReturnType<FastPath> {
  const x = inputs.x;
  const reps = attrs?.reps as number[] | undefined;
  if (x === undefined || reps === undefined || (x.dtype !== 'float32' && x.dtype !== 'int32')) return undefined;
  if (reps.length !== x.shape.length || x.shape.length === 0) return undefined;
  const heap = backend as WasmLikeBackend;
  const output = heap.makeOutput(
    x.shape.map((size, axis) => size * (reps[axis] as number)),
    x.dtype,
  );
  // Views only after the allocation above, which may have grown (and detached) the heap.
  tileInto(
    heap.typedArrayFromHeap(x) as Float32Array | Int32Array,
    x.shape,
    reps,
    heap.typedArrayFromHeap(output) as Float32Array | Int32Array,
  );
  return output;
}
