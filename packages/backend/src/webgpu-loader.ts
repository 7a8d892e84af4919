import type { LoadedBackend, LoaderContext } from './backend-loaders';

/** Where Linux distributions keep the Vulkan loader Dawn needs (and the dirs of LD_LIBRARY_PATH). */
const VULKAN_LIBRARY_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/lib64',
  '/lib',
];

/**
 * On Linux, whether the Vulkan loader is installed: without it Dawn finds no adapter anyway and
 * prints a warning on every load, so the loader says so and skips Dawn.
 */
async function hasVulkanLoader(env: Readonly<Record<string, string | undefined>>): Promise<boolean> {
  const { existsSync } = process.getBuiltinModule('node:fs');
  const dirs = [...(env.LD_LIBRARY_PATH ?? '').split(':').filter((dir) => dir), ...VULKAN_LIBRARY_DIRS];
  return dirs.some((dir) => existsSync(`${dir}/libvulkan.so.1`));
}

/**
 * Adapter descriptions of CPU rasterizers that WebGPU implementations expose as adapters (Mesa's
 * llvmpipe / lavapipe, SwiftShader, Windows' basic render driver): they run, but slower than wasm,
 * so `auto` must not pick them.
 */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|software rasterizer|basic render driver/i;

/** The part of the `webgpu` package (Dawn for Node) this loader uses. */
interface DawnModule {
  create(flags: string[]): WebGpuLike;
  globals: Record<string, unknown>;
}

interface WebGpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>;
}

interface AdapterLike {
  readonly isFallbackAdapter?: boolean;
  readonly info?: {
    vendor?: string;
    architecture?: string;
    device?: string;
    description?: string;
    isFallbackAdapter?: boolean;
  };
}

/** Words that identify an adapter, e.g. "nvidia ampere NVIDIA H100" (what `selectBackend` records). */
export function describeAdapter(adapter: AdapterLike): string {
  const info = adapter.info ?? {};
  return [info.vendor, info.architecture, info.device, info.description].filter((part) => part).join(' ') || 'unnamed';
}

/** Whether `adapter` is a CPU rasterizer rather than a GPU. */
export function isSoftwareAdapter(adapter: AdapterLike): boolean {
  return (
    adapter.isFallbackAdapter === true ||
    adapter.info?.isFallbackAdapter === true ||
    SOFTWARE_ADAPTER.test(describeAdapter(adapter))
  );
}

/**
 * WebGPU: the browser's `navigator.gpu`, or under Node the optional `webgpu` package (Dawn, prebuilt
 * for linux/mac/windows), then @tensorflow/tfjs-backend-webgpu on it. Fails when there is no adapter,
 * or only a software one unless `allowSoftwareAdapter` (tests use Mesa's lavapipe to check values).
 */
export async function loadWebgpu(context: LoaderContext): Promise<LoadedBackend> {
  const holder = globalThis as { navigator?: { gpu?: WebGpuLike } };
  let gpu = holder.navigator?.gpu;
  let dawnGlobals: Record<string, unknown> | undefined;
  if (gpu === undefined) {
    if (process.platform === 'linux' && !(await hasVulkanLoader(process.env)))
      throw new Error('no Vulkan loader (libvulkan.so.1), so no WebGPU adapter: install the GPU driver and libvulkan1');
    const specifier = 'webgpu'; // a variable: an optional dependency that neither tsc nor a bundler should resolve
    const dawn = (await import(specifier)) as Partial<DawnModule> & { default?: DawnModule };
    const module = (typeof dawn.create === 'function' ? dawn : dawn.default) as DawnModule; // ESM or CJS interop
    dawnGlobals = module.globals;
    gpu = module.create([]);
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) throw new Error('no WebGPU adapter (no Vulkan, Metal or D3D12 device that Dawn can use)');
  const described = describeAdapter(adapter);
  if (isSoftwareAdapter(adapter) && context.allowSoftwareAdapter !== true)
    throw new Error(`the only WebGPU adapter is a software one (${described}), slower than wasm`);
  // Only now, with an adapter to run on, does the process get Dawn's constants (GPUBufferUsage and the
  // others tfjs reads) and navigator.gpu: a failed attempt leaves globalThis as it found it.
  if (dawnGlobals !== undefined) Object.assign(globalThis, dawnGlobals);
  // tfjs-backend-webgpu registers itself on import only where navigator.gpu exists.
  if (holder.navigator === undefined) holder.navigator = {};
  if (holder.navigator.gpu === undefined)
    Object.defineProperty(holder.navigator, 'gpu', { value: gpu, configurable: true, enumerable: true });
  await import('@tensorflow/tfjs-backend-webgpu'); // pinned to tfjs's own version in package.json
  return {
    engineName: 'webgpu',
    afterInit: () => ({ adapter: described }),
  };
}
