import { ImecdError, InvalidArgumentError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BackendLoader } from './backend-loaders';
import type { BackendChoice } from './backend-names';
import { BackendUnavailableError } from './backend-unavailable-error';
import { selectBackend } from './select-backend';

/** Stands in for tfjs-node(-gpu): a backend registered under its own name, built by cpu's factory, no native code. */
const SIMULATED_NATIVE = 'simulated-native';
/** A backend whose initialisation fails, as a native addon built for another CUDA would. */
const BROKEN_NATIVE = 'simulated-broken-native';

function simulatedNativeLoader(): BackendLoader {
  return vi.fn(async () => {
    const cpuFactory = tf.findBackendFactory('cpu');
    // Priority -1: tfjs never picks it on its own, only through setBackend.
    if (tf.findBackendFactory(SIMULATED_NATIVE) == null) tf.registerBackend(SIMULATED_NATIVE, cpuFactory, -1);
    return { engineName: SIMULATED_NATIVE, versions: { 'tfjs-node': 'simulated' } };
  });
}

function failingLoader(message: string): BackendLoader {
  return vi.fn(async () => {
    throw new Error(`${message}\nsecond line that the reason leaves out`);
  });
}

function brokenNativeLoader(): BackendLoader {
  return vi.fn(async () => {
    if (tf.findBackendFactory(BROKEN_NATIVE) == null) {
      tf.registerBackend(
        BROKEN_NATIVE,
        () => {
          throw new Error('simulated: libcudart.so.11.0 not found');
        },
        -1,
      );
    }
    return { engineName: BROKEN_NATIVE };
  });
}

describe('selectBackend', () => {
  it("keeps tfjs's cpu backend from advertising tfjs-node on its first tensor (the selection already says which backend runs)", async () => {
    // A fresh instance of cpu's backend, which has not printed its banner yet in this process.
    const fresh = vi.fn(async () => {
      if (tf.findBackendFactory('simulated-fresh-cpu') == null)
        tf.registerBackend('simulated-fresh-cpu', tf.findBackendFactory('cpu'), -1);
      return { engineName: 'simulated-fresh-cpu' };
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await selectBackend({ backend: 'tensorflow-gpu', env: {}, loaders: { 'tensorflow-gpu': fresh } });
      tf.tensor1d([1, 2]).dispose();
      expect(warn.mock.calls.flat().join('\n')).not.toMatch(/looks like you are running TensorFlow\.js in Node\.js/);
    } finally {
      warn.mockRestore();
      await tf.setBackend('cpu');
    }
  });

  let previousBackend: string | null = null;

  beforeAll(() => {
    previousBackend = tf.engine().backendName ?? null;
  });
  afterEach(async () => {
    // Leave the engine on a real backend before removing the simulated ones.
    await tf.setBackend(previousBackend ?? 'cpu');
    for (const name of [SIMULATED_NATIVE, BROKEN_NATIVE]) {
      if (tf.findBackendFactory(name) != null) tf.removeBackend(name);
    }
  });
  afterAll(async () => {
    if (previousBackend !== null) await tf.setBackend(previousBackend);
  });

  it('tries tensorflow-gpu, tensorflow, webgpu, wasm, cpu in order and says why each earlier one failed', async () => {
    const loaders = {
      'tensorflow-gpu': failingLoader('simulated: no tfjs_binding.node'),
      tensorflow: failingLoader('simulated: Cannot find package @tensorflow/tfjs-node'),
      webgpu: failingLoader('simulated: no WebGPU adapter'),
      wasm: failingLoader('simulated: wasm binary missing'),
    };
    const selection = await selectBackend({ backend: 'auto', env: {}, loaders });
    expect(selection.name).toBe('cpu');
    expect(selection.attempts).toEqual([
      { name: 'tensorflow-gpu', ok: false, reason: 'simulated: no tfjs_binding.node' },
      { name: 'tensorflow', ok: false, reason: 'simulated: Cannot find package @tensorflow/tfjs-node' },
      { name: 'webgpu', ok: false, reason: 'simulated: no WebGPU adapter' },
      { name: 'wasm', ok: false, reason: 'simulated: wasm binary missing' },
      { name: 'cpu', ok: true },
    ]);
    expect(tf.getBackend()).toBe('cpu');
    expect(selection.tf).toBe(tf);
  });

  it('stops at the first backend that loads and sets it on the engine', async () => {
    const loaders = {
      'tensorflow-gpu': failingLoader('simulated: no GPU'),
      tensorflow: simulatedNativeLoader(),
      wasm: failingLoader('never reached'),
    };
    const selection = await selectBackend({ env: {}, loaders });
    expect(selection.name).toBe('tensorflow');
    expect(selection.engineName).toBe(SIMULATED_NATIVE);
    expect(selection.attempts.map((attempt) => attempt.name)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(selection.versions['tfjs-node']).toBe('simulated');
    expect(selection.versions['tfjs-core']).toBe(tf.version['tfjs-core']);
    expect(tf.getBackend()).toBe(SIMULATED_NATIVE);
    expect(loaders.wasm).not.toHaveBeenCalled();
  });

  it('runs wasm single-threaded, with a warning, when its threaded build cannot start', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {}); // tfjs reports the init error there
    const emitted = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const broken = brokenNativeLoader();
    const single = simulatedNativeLoader();
    const wasm = vi.fn<BackendLoader>(async (context) => (context.threads > 1 ? broken(context) : single(context)));
    const selection = await selectBackend({ backend: 'wasm', threads: 2, env: {}, loaders: { wasm } });
    warn.mockRestore();
    expect(wasm.mock.calls.map(([context]) => context.threads)).toEqual([2, 1]);
    expect(selection.name).toBe('wasm');
    expect(tf.getBackend()).toBe(SIMULATED_NATIVE);
    expect(selection.threadsFallback).toMatch(
      /^wasm's threaded build could not start with 2 threads \(tf\.setBackend\('simulated-broken-native'\) could not initialise it\); running its single-threaded build/,
    );
    expect(emitted).toHaveBeenCalledWith(selection.threadsFallback, { code: 'IMECD_WASM_THREADS' });
    emitted.mockRestore();
  });

  it('falls back when a backend loads but fails to initialise', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {}); // tfjs reports the init error there
    const selection = await selectBackend({
      env: {},
      loaders: { 'tensorflow-gpu': brokenNativeLoader(), tensorflow: failingLoader('x') },
    });
    warn.mockRestore();
    expect(selection.attempts[0]).toEqual({
      name: 'tensorflow-gpu',
      ok: false,
      reason: `tf.setBackend('${BROKEN_NATIVE}') could not initialise it`,
    });
    expect(selection.name).toBe('wasm');
  });

  it('reads IMECD_BACKEND, and the backend option wins over it', async () => {
    const gpuLoader = simulatedNativeLoader();
    const fromEnv = await selectBackend({ env: { IMECD_BACKEND: 'cpu' }, loaders: { 'tensorflow-gpu': gpuLoader } });
    expect(fromEnv.name).toBe('cpu');
    expect(fromEnv.attempts).toEqual([{ name: 'cpu', ok: true }]);
    expect(gpuLoader).not.toHaveBeenCalled();

    const fromOption = await selectBackend({ backend: 'wasm', env: { IMECD_BACKEND: 'cpu' } });
    expect(fromOption.name).toBe('wasm');

    const autoFromEnv = await selectBackend({
      env: { IMECD_BACKEND: ' auto ' },
      loaders: { 'tensorflow-gpu': gpuLoader },
    });
    expect(autoFromEnv.name).toBe('tensorflow-gpu');
    const emptyMeansAuto = await selectBackend({
      env: { IMECD_BACKEND: '' },
      loaders: { 'tensorflow-gpu': gpuLoader },
    });
    expect(emptyMeansAuto.name).toBe('tensorflow-gpu');
  });

  it('throws, with the reason and the fix, when an explicit choice fails, and keeps the engine where it was', async () => {
    await selectBackend({ backend: 'cpu', env: {} });
    const failure = selectBackend({
      env: { IMECD_BACKEND: 'tensorflow-gpu' },
      loaders: { 'tensorflow-gpu': failingLoader('simulated: no tfjs_binding.node') },
    });
    await expect(failure).rejects.toThrow(BackendUnavailableError);
    await expect(failure).rejects.toMatchObject({
      backend: 'tensorflow-gpu',
      reason: 'simulated: no tfjs_binding.node',
      code: 'BACKEND_UNAVAILABLE',
    });
    await expect(failure).rejects.toThrow(/CUDA 11\.2.*approve-builds/);
    expect(tf.getBackend()).toBe('cpu');

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const broken = selectBackend({ backend: 'tensorflow', env: {}, loaders: { tensorflow: brokenNativeLoader() } });
    await expect(broken).rejects.toThrow(/could not initialise.*pnpm add @tensorflow\/tfjs-node/);
    warn.mockRestore();
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects unknown backend names and loaders, listing the valid names', async () => {
    await expect(selectBackend({ backend: 'gpu' as BackendChoice })).rejects.toThrow(InvalidArgumentError);
    await expect(selectBackend({ backend: 'gpu' as BackendChoice })).rejects.toThrow(
      /backend.*"gpu".*auto, tensorflow-gpu, tensorflow, webgpu, wasm, cpu/,
    );
    await expect(selectBackend({ env: { IMECD_BACKEND: 'cuda' } })).rejects.toMatchObject({
      argument: 'IMECD_BACKEND',
    });
    const badLoaders = { metal: simulatedNativeLoader() } as Record<string, BackendLoader>;
    await expect(selectBackend({ env: {}, loaders: badLoaders })).rejects.toMatchObject({ argument: 'loaders' });
  });

  it('reports NO_BACKEND when nothing loads', async () => {
    const loaders = {
      'tensorflow-gpu': failingLoader('a'),
      tensorflow: failingLoader('b'),
      webgpu: failingLoader('w'),
      wasm: failingLoader('c'),
      cpu: failingLoader('d'),
    };
    const failure = selectBackend({ env: {}, loaders });
    await expect(failure).rejects.toMatchObject({ code: 'NO_BACKEND' });
    await expect(failure).rejects.toThrow(/tensorflow-gpu: a; tensorflow: b; webgpu: w; wasm: c; cpu: d/);
    await expect(failure).rejects.toSatisfy(ImecdError.isInstance);
  });

  it('picks wasm here for real: tfjs-node-gpu has no native addon, tfjs-node is not installed, no GPU adapter', async () => {
    const selection = await selectBackend({ backend: 'auto', env: {} });
    expect(selection.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const [gpu, native, webgpu, wasm] = selection.attempts;
    expect(webgpu).toMatchObject({ name: 'webgpu', ok: false });
    expect(webgpu?.reason).toMatch(/Vulkan|WebGPU adapter/);
    expect(gpu).toMatchObject({ name: 'tensorflow-gpu', ok: false });
    expect(gpu?.reason).toMatch(/tfjs_binding|native addon|Cannot find/);
    expect(native).toMatchObject({ name: 'tensorflow', ok: false });
    expect(native?.reason).toMatch(/tfjs-node/);
    expect(wasm).toEqual({ name: 'wasm', ok: true });
    expect(selection.versions['tfjs-backend-wasm']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
  });

  it('gives the same result when called twice, without new tensors or kernels', async () => {
    const first = await selectBackend({ env: {} });
    const kernel = tf.getKernel('UnsortedSegmentSum', 'wasm');
    const tensors = tf.memory().numTensors;
    const second = await selectBackend({ env: {} });
    expect(second.name).toBe(first.name);
    expect(second.attempts).toEqual(first.attempts);
    expect(tf.getBackend()).toBe(first.engineName);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBe(kernel);
  });

  it('throws an explicit tensorflow-gpu choice here with how to enable it', async () => {
    await expect(selectBackend({ backend: 'tensorflow-gpu', env: {} })).rejects.toThrow(
      /Backend "tensorflow-gpu" is unavailable: .+ To fix: .*libtensorflow.*Google storage/,
    );
  });
});
