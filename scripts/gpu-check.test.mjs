import { describe, expect, it } from 'vitest';
import { BACKENDS, compareValues, gpuCheck, TOLERANCE } from './gpu-check.mjs';

describe('gpu-check', () => {
  it('on a machine without a GPU, reports every backend, falls back to wasm and checks cpu against it', () => {
    const summary = gpuCheck({ bench: false });
    expect(Object.keys(summary.backends)).toEqual(BACKENDS);
    expect(summary.backends.wasm).toMatchObject({ loads: true, valuesMatchWasm: true, worstRelativeError: 0 });
    expect(summary.backends.cpu).toMatchObject({ loads: true, valuesMatchWasm: true });
    expect(Object.keys(summary.backends.cpu.relativeErrors)).toContain('embeddingGrad');
    // This machine and CI have no GPU: the GPU backends say why they did not load.
    for (const backend of ['tensorflow-gpu', 'webgpu']) {
      expect(summary.backends[backend].loads, backend).toBe(false);
      expect(summary.backends[backend].reason, backend).toMatch(new RegExp(`Backend "${backend}" is unavailable: `));
    }
  }, 120_000);

  it('flags a kernel whose values drift from wasm beyond the tolerance', () => {
    const errors = compareValues({ matMul: [1, 2, 100], sum: [3] }, { matMul: [1, 2, 100.5], sum: [3, 4] });
    expect(errors.matMul).toBeCloseTo(0.005, 6);
    expect(errors.matMul).toBeGreaterThan(TOLERANCE);
    expect(errors.sum).toBe(Number.POSITIVE_INFINITY);
  });
});
