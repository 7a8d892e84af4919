import { afterEach, describe, expect, it } from 'vitest';
import { describeAdapter, isSoftwareAdapter, loadWebgpu } from './webgpu-loader';

const holder = globalThis as { navigator?: unknown };
const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
afterEach(() => {
  if (original) Object.defineProperty(globalThis, 'navigator', original);
  else delete holder.navigator;
});

/** A page's navigator.gpu whose one adapter is `adapter` (or none). */
function fakeGpu(adapter: object | null) {
  Object.defineProperty(globalThis, 'navigator', {
    value: { gpu: { requestAdapter: async () => adapter } },
    configurable: true,
    writable: true,
  });
}

const H100 = { info: { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100 80GB HBM3' } };
const LAVAPIPE = {
  info: { vendor: 'mesa', architecture: '', device: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' },
};

describe('webgpu adapters', () => {
  it('tells a GPU from a CPU rasterizer, by the flag or by name', () => {
    expect(isSoftwareAdapter(H100)).toBe(false);
    expect(isSoftwareAdapter(LAVAPIPE)).toBe(true);
    expect(isSoftwareAdapter({ info: { description: 'SwiftShader Device (Subzero)' } })).toBe(true);
    expect(isSoftwareAdapter({ isFallbackAdapter: true, info: { vendor: 'x' } })).toBe(true);
    expect(isSoftwareAdapter({ info: { isFallbackAdapter: true } })).toBe(true);
    expect(describeAdapter(H100)).toBe('nvidia hopper NVIDIA H100 80GB HBM3');
    expect(describeAdapter({})).toBe('unnamed');
  });

  it('fails without an adapter, and with only a software one unless allowed', async () => {
    fakeGpu(null);
    await expect(loadWebgpu({ threads: 1 })).rejects.toThrow(/^no WebGPU adapter/);
    fakeGpu(LAVAPIPE);
    await expect(loadWebgpu({ threads: 1 })).rejects.toThrow(
      'the only WebGPU adapter is a software one (mesa llvmpipe (LLVM 15.0.6, 256 bits)), slower than wasm',
    );
  });

  it("registers tfjs's webgpu backend on a real adapter and reports which one", async () => {
    fakeGpu(H100);
    const loaded = await loadWebgpu({ threads: 1 });
    expect(loaded.engineName).toBe('webgpu');
    expect(loaded.afterInit?.()).toEqual({ adapter: 'nvidia hopper NVIDIA H100 80GB HBM3' });
    const tf = await import('@tensorflow/tfjs-core');
    expect(tf.findBackendFactory('webgpu')).not.toBeNull();
  });

  it.runIf(process.platform === 'linux')('skips Dawn on Linux without a Vulkan loader, saying so', async () => {
    const { existsSync } = await import('node:fs');
    const hasLoader = ['/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib64', '/lib'].some((dir) =>
      existsSync(`${dir}/libvulkan.so.1`),
    );
    delete holder.navigator;
    const outcome = loadWebgpu({ threads: 1 });
    if (hasLoader) await expect(outcome).rejects.toThrow(/WebGPU adapter/);
    else await expect(outcome).rejects.toThrow(/^no Vulkan loader \(libvulkan\.so\.1\)/);
  });
});
