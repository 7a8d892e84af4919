import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { fastPathOf, wrapStockKernel, type FastPath, type WasmLikeBackend } from './wrap-stock-kernel';

/** How many leading axes `axis` names when it names exactly axes 0 … k − 1 of a rank-`rank` tensor, else undefined. */
export function leadingAxisCount(axis: unknown, rank: number): number | undefined {
  if (axis === null || axis === undefined) return rank; // tf.sum(x): every axis
  const list = (Array.isArray(axis) ? axis : [axis]).map((entry) => Number(entry));
  if (list.some((entry) => !Number.isInteger(entry) || entry < -rank || entry >= rank)) return undefined;
  const axes = [...new Set(list.map((entry) => (entry < 0 ? entry + rank : entry)))].sort((a, b) => a - b);
  return axes.every((entry, index) => entry === index) ? axes.length : undefined;
}

/** Whether `kernelFunc` is one that {@link createSumLeadingAxesKernel} made. */
export const isSumLeadingAxesKernel = (kernelFunc: KernelFunc): boolean => fastPathOf(kernelFunc) === sumViaMatMul;

/**
 * A `Sum` for the wasm backend that, when a float32 tensor is summed over its leading axes — the
 * gradient of every broadcast add of a bias, a LayerNorm scale and shift, or a position
 * embedding — computes it as the product ones[1, rows] · x[rows, rest] on wasm's fast 2-D matmul,
 * and hands any other call to `stock`, wasm's own kernel. That one transposes the summed axes to
 * the end first: [12,800, 256] → [256] took 11–18 ms there and 1.1 ms here. The matmul
 * accumulates in float32 like the stock kernel (relative differences of ~1e-5 over 12,800 rows).
 */
export function createSumLeadingAxesKernel(stock: KernelConfig): KernelConfig {
  return wrapStockKernel(stock, sumViaMatMul);
}

/** The fast path: a float32 sum over some, not all, leading axes; undefined for anything else. */
function sumViaMatMul({ inputs, backend, attrs }: Parameters<FastPath>[0], stock: KernelConfig): ReturnType<FastPath> {
  const x = inputs['x'];
  const rank = x?.shape.length ?? 0;
  const leading = x === undefined || x.dtype !== 'float32' || rank === 0 ? undefined : leadingAxisCount(attrs?.['axis'], rank);
  const matMul = tf.getKernel('BatchMatMul', stock.backendName)?.kernelFunc;
  // Summing trailing axes is already one pass in wasm's kernel; so is a sum over nothing.
  if (x === undefined || leading === undefined || leading === 0 || leading === rank || matMul === undefined) return undefined;
  const writer = backend as WasmLikeBackend;
  const rowShape = x.shape.slice(leading);
  const rowSize = rowShape.reduce((product, size) => product * size, 1);
  const rows = x.shape.slice(0, leading).reduce((product, size) => product * size, 1);
  const ones = writer.makeOutput([1, 1, rows], 'float32', undefined, new Float32Array(rows).fill(1));
  // x seen as [1, rows, rowSize]: the same data, so no copy.
  const product = matMul({ inputs: { a: ones, b: { dataId: x.dataId, shape: [1, rows, rowSize], dtype: 'float32' } }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
  writer.disposeData(ones.dataId);
  const shape = attrs?.['keepDims'] === true ? [...new Array<number>(leading).fill(1), ...rowShape] : rowShape;
  return { dataId: product.dataId, shape, dtype: 'float32' };
}
