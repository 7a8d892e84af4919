import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { type FastPath, fastPathOf, type WasmLikeBackend, wrapStockKernel } from './wrap-stock-kernel';

/** Side of the square tiles {@link transposeLastTwo} copies: 16 ran fastest of 8–64 on the shapes below. */
const TILE = 16;

/**
 * Writes each of `batch` [rows, cols] matrices of `input` transposed into `output` ([cols, rows]
 * each), tile by tile, so reads and writes both stay within a few cache lines per tile.
 */
export function transposeLastTwo<T extends Float32Array | Int32Array>(
  input: T,
  output: T,
  batch: number,
  rows: number,
  cols: number,
): T {
  const size = rows * cols;
  for (let matrix = 0; matrix < batch; matrix++) {
    const base = matrix * size;
    for (let rowStart = 0; rowStart < rows; rowStart += TILE) {
      const rowEnd = Math.min(rowStart + TILE, rows);
      for (let colStart = 0; colStart < cols; colStart += TILE) {
        const colEnd = Math.min(colStart + TILE, cols);
        for (let row = rowStart; row < rowEnd; row++) {
          let from = base + row * cols + colStart;
          let to = base + colStart * rows + row;
          for (let col = colStart; col < colEnd; col++) {
            output[to] = input[from] as number;
            from += 1;
            to += rows;
          }
        }
      }
    }
  }
  return output;
}

/** Whether `kernelFunc` is one that {@link createTransposeKernel} made. */
export const isTransposeKernel = (kernelFunc: KernelFunc): boolean => fastPathOf(kernelFunc) === swapLastTwo;

/**
 * A `Transpose` for the wasm backend that swaps the last two axes (leading axes in place: every 2-D
 * transpose and the batched [B, m, n] → [B, n, m] of the models' gradients) tile by tile, and hands
 * every other permutation to `stock`, wasm's own kernel. wasm's kernel walks the output with a
 * stride of a whole row: a [512, 11,924] transpose (each chunk of the full-softmax loss) took
 * ~50 ms there against ~17 ms tiled, on the development box.
 */
export function createTransposeKernel(stock: KernelConfig): KernelConfig {
  return wrapStockKernel(stock, swapLastTwo);
}

/** The fast path: float32/int32 tensors whose permutation is the identity but for the last two axes. */
function swapLastTwo({ inputs, backend, attrs }: Parameters<FastPath>[0]): ReturnType<FastPath> {
  const x = inputs.x;
  const perm = attrs?.perm as number[] | undefined;
  if (x === undefined || perm === undefined || (x.dtype !== 'float32' && x.dtype !== 'int32')) return undefined;
  const rank = x.shape.length;
  if (rank < 2 || perm.length !== rank) return undefined;
  for (let axis = 0; axis < rank - 2; axis++) if (perm[axis] !== axis) return undefined;
  if (perm[rank - 2] !== rank - 1 || perm[rank - 1] !== rank - 2) return undefined;
  const rows = x.shape[rank - 2] as number;
  const cols = x.shape[rank - 1] as number;
  const batch = x.shape.slice(0, -2).reduce((product, size) => product * size, 1);
  const heap = backend as WasmLikeBackend;
  const output = heap.makeOutput([...x.shape.slice(0, -2), cols, rows], x.dtype);
  // Views only after the allocation above, which may have grown (and detached) the heap.
  transposeLastTwo(
    heap.typedArrayFromHeap(x) as Float32Array | Int32Array,
    heap.typedArrayFromHeap(output) as Float32Array | Int32Array,
    batch,
    rows,
    cols,
  );
  return output;
}
