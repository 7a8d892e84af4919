import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import type { BackendValues, DataId, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { WasmLikeBackend } from './wrap-stock-kernel';

/** The dtypes the kernel sums; TensorFlow's own kernel accepts these two among the ones tfjs has. */
export type SegmentSumDtype = 'float32' | 'int32';

/**
 * Sums row `i` of `values` (rows of `innerSize` numbers, one per segment id) into output row
 * `segmentIds[i]`. Ids outside [0, numSegments) are skipped, as TensorFlow does. One pass over the
 * input: O(segmentIds.length × innerSize), whatever `numSegments` is.
 */
export function sumSegments(
  values: ArrayLike<number>,
  segmentIds: ArrayLike<number>,
  numSegments: number,
  innerSize: number,
  dtype: SegmentSumDtype,
): Float32Array | Int32Array {
  const output =
    dtype === 'int32' ? new Int32Array(numSegments * innerSize) : new Float32Array(numSegments * innerSize);
  return sumSegmentsInto(values, segmentIds, numSegments, innerSize, output);
}

/** {@link sumSegments} into a zeroed `output` of numSegments × innerSize entries (a view on a backend's memory). */
function sumSegmentsInto<T extends Float32Array | Int32Array>(
  values: ArrayLike<number>,
  segmentIds: ArrayLike<number>,
  numSegments: number,
  innerSize: number,
  output: T,
): T {
  for (let row = 0; row < segmentIds.length; row++) {
    const segment = segmentIds[row] as number;
    if (segment < 0 || segment >= numSegments) continue;
    const outputStart = segment * innerSize;
    const inputStart = row * innerSize;
    for (let column = 0; column < innerSize; column++) {
      const target = outputStart + column;
      output[target] = (output[target] as number) + (values[inputStart + column] as number);
    }
  }
  return output;
}

/** The backend methods the kernel uses; the cpu and the wasm backend of tfjs 4.22 have them. */
interface ReadableBackend {
  readSync(dataId: DataId): BackendValues;
}

/** Sums `x`'s rows by `segmentIds` into a new [numSegments, …inner] tensor on one backend. */
type SegmentSummer = (
  backend: object,
  x: TensorInfo,
  segmentIds: TensorInfo,
  outputShape: number[],
  innerSize: number,
) => TensorInfo;

const SUMMERS = {
  cpu: (backend, x, segmentIds, outputShape, innerSize) => {
    const reader = backend as ReadableBackend;
    const sums = sumSegments(
      reader.readSync(x.dataId) as Float32Array | Int32Array,
      reader.readSync(segmentIds.dataId) as Int32Array,
      outputShape[0] as number,
      innerSize,
      x.dtype as SegmentSumDtype,
    );
    return callBackend(backend, 'makeTensorInfo', outputShape, x.dtype, sums);
  },
  // Sums straight into the output's heap memory, reading x in place: no copy of x out of the heap
  // (~4 ms for a [6,251, 256] ∂y) and none of the sums back in.
  wasm: (backend, x, segmentIds, outputShape, innerSize) => {
    const heap = backend as WasmLikeBackend;
    const ids = heap.readSync(segmentIds.dataId) as Int32Array; // one id per row: small
    const output = callBackend(backend, 'makeOutput', outputShape, x.dtype);
    // Views only after the allocation above, which may have grown (and detached) the heap; the
    // allocation is not zeroed.
    const sums = heap.typedArrayFromHeap(output) as Float32Array | Int32Array;
    sums.fill(0);
    sumSegmentsInto(
      heap.typedArrayFromHeap(x) as Float32Array | Int32Array,
      ids,
      outputShape[0] as number,
      innerSize,
      sums,
    );
    return output;
  },
} satisfies Record<string, SegmentSummer>;

/** The backends that get this kernel. */
export type SegmentSumBackend = keyof typeof SUMMERS;

/** A linear-time `UnsortedSegmentSum` for one backend: the gradient of `tf.gather` runs through it. */
export function createUnsortedSegmentSumKernel(backendName: SegmentSumBackend): KernelConfig {
  const summer: SegmentSummer = SUMMERS[backendName];
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const x = inputs.x;
    const segmentIds = inputs.segmentIds;
    if (x === undefined || segmentIds === undefined) {
      throw new InvalidArgumentError('inputs', 'UnsortedSegmentSum needs the tensors x and segmentIds');
    }
    const numSegments = attrs?.numSegments;
    if (typeof numSegments !== 'number' || !Number.isInteger(numSegments) || numSegments < 0) {
      throw new InvalidArgumentError('numSegments', `expected a non-negative integer, got ${String(numSegments)}`);
    }
    if (x.dtype !== 'float32' && x.dtype !== 'int32') {
      throw new InvalidArgumentError('x', `UnsortedSegmentSum sums float32 or int32, got ${x.dtype}`);
    }
    const idRank = segmentIds.shape.length;
    if (segmentIds.shape.some((size, axis) => size !== x.shape[axis])) {
      throw new ShapeMismatchError('segmentIds', `a prefix of x's shape [${x.shape.join(', ')}]`, segmentIds.shape);
    }
    const innerShape = x.shape.slice(idRank);
    const innerSize = innerShape.reduce((product, size) => product * size, 1);
    return summer(backend, x, segmentIds, [numSegments, ...innerShape], innerSize);
  };
  return { kernelName: 'UnsortedSegmentSum', backendName, kernelFunc };
}

/** Calls a backend method by name, with an error that names it if a future tfjs renames it. */
function callBackend(backend: object, method: string, ...args: unknown[]): TensorInfo {
  const candidate = (backend as Record<string, unknown>)[method];
  if (typeof candidate !== 'function') {
    throw new TypeError(
      `UnsortedSegmentSum: this tfjs backend has no ${method}(); @imecd/backend was written against tfjs 4.22`,
    );
  }
  return candidate.apply(backend, args) as TensorInfo;
}
