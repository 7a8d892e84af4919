import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { fastPathOf, wrapStockKernel } from './wrap-stock-kernel';

const output: TensorInfo = { dataId: {}, shape: [1], dtype: 'float32' };

describe('wrapStockKernel', () => {
  it("keeps the stock kernel's setup and dispose functions, which bind a wasm kernel when the backend starts", () => {
    const setupFunc = () => {};
    const disposeFunc = () => {};
    const stock: KernelConfig = {
      kernelName: 'Transpose',
      backendName: 'wasm',
      kernelFunc: () => output,
      setupFunc,
      disposeFunc,
    };
    const wrapped = wrapStockKernel(stock, () => undefined);
    expect(wrapped.setupFunc).toBe(setupFunc);
    expect(wrapped.disposeFunc).toBe(disposeFunc);
    expect(
      wrapStockKernel({ ...stock, setupFunc: undefined, disposeFunc: undefined }, () => undefined),
    ).not.toHaveProperty('setupFunc');
  });

  it('runs the fast path and falls back on the stock kernel for what it declines', () => {
    const stockCalls: unknown[] = [];
    const fast: TensorInfo = { dataId: {}, shape: [2], dtype: 'float32' };
    const fastPath = (args: { attrs?: unknown }) => ((args.attrs as { fast: boolean }).fast ? fast : undefined);
    const wrapped = wrapStockKernel(
      {
        kernelName: 'Identity',
        backendName: 'wasm',
        kernelFunc: (args) => {
          stockCalls.push(args.attrs);
          return output;
        },
      },
      fastPath,
    );
    const call = (fastAttr: boolean) =>
      wrapped.kernelFunc({ inputs: {}, backend: {} as never, attrs: { fast: fastAttr } as never });
    expect(call(true)).toBe(fast);
    expect(call(false)).toBe(output);
    expect(stockCalls).toEqual([{ fast: false }]);
    expect(fastPathOf(wrapped.kernelFunc)).toBe(fastPath);
  });
});
