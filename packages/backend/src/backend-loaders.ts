import * as tf from '@tensorflow/tfjs';
import type { BackendName } from './backend-names';
import { loadWebgpu } from './webgpu-loader';

/** The part of a Node worker the wasm loader touches. */
interface WorkerLike {
  unref?: () => void;
}

/** What a loader reports once its module has registered a backend with the tfjs engine. */
export interface LoadedBackend {
  /** The name the backend is registered under in the tfjs engine (`tensorflow` for both native builds). */
  engineName: string;
  /** Versions of the packages the loader imported, merged into the selection's `versions`. */
  versions?: Record<string, string>;
  /** Called once the engine runs on the backend; returns the threads it computes with, or the GPU adapter, where it knows them. */
  afterInit?: () => { threads?: number; adapter?: string };
}

/** What `selectBackend` tells a loader. */
export interface LoaderContext {
  /** Threads the backend may use; for wasm, more than 1 loads its threaded SIMD build. */
  threads: number;
  /** webgpu: accept a software adapter (a CPU rasterizer such as Mesa's lavapipe), for value checks only. */
  allowSoftwareAdapter?: boolean;
}

/**
 * Imports whatever registers one backend with the tfjs engine, and throws when it cannot. Injected
 * through `selectBackend({ loaders })`, it lets tests simulate a native backend without native code.
 */
export type BackendLoader = (context: LoaderContext) => Promise<LoadedBackend>;

/** The loaders `selectBackend` uses unless told otherwise. */
export const DEFAULT_BACKEND_LOADERS: Readonly<Record<BackendName, BackendLoader>> = {
  'tensorflow-gpu': () => loadNative('@tensorflow/tfjs-node-gpu', 'tfjs-node-gpu'),
  tensorflow: () => loadNative('@tensorflow/tfjs-node', 'tfjs-node'),
  webgpu: loadWebgpu,
  wasm: async ({ threads }) => {
    // Imported only here, not at the top of the package: importing it makes wasm the
    // highest-priority backend, and until `tf.setBackend` has awaited its init, creating any
    // tensor throws "backend 'wasm' has not yet been initialized".
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const versions = { 'tfjs-backend-wasm': wasm.version_wasm };
    if (threads <= 1) {
      // Under Node the flag is false unless forced; after a threaded start that failed it must be unforced again.
      if (typeof process === 'object' && process.versions?.node) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      return { engineName: 'wasm', versions };
    }
    // tfjs turns the threaded build off under Node (tensorflow/tfjs#3830); this repository's patch of the
    // package (patches/) gives Node what it lacks: the pthread worker as a file, the module's own script,
    // and a core count the C side does not halve below the machine's.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    wasm.setThreadsCount(threads);
    return {
      engineName: 'wasm',
      versions,
      afterInit: () => {
        // Emscripten keeps its pthread pool referenced, which would keep Node alive after the last line of a program.
        const pool = (
          tf.backend() as unknown as {
            wasm?: { PThread?: { runningWorkers: WorkerLike[]; unusedWorkers: WorkerLike[] } };
          }
        ).wasm?.PThread;
        for (const worker of [...(pool?.runningWorkers ?? []), ...(pool?.unusedWorkers ?? [])]) worker.unref?.();
        return { threads: wasm.getThreadsCount() };
      },
    };
  },
  // Registered by @tensorflow/tfjs itself, which this package imports.
  cpu: async () => ({ engineName: 'cpu' }),
};

/** How to get each backend working, shown when an explicitly chosen one fails to load. */
export const BACKEND_FIXES: Readonly<Record<BackendName, string>> = {
  'tensorflow-gpu':
    '@tensorflow/tfjs-node-gpu is an optional dependency whose native addon is built at install time and ' +
    'needs libtensorflow 2.9.1 (GPU), downloaded from Google storage. On a Linux x64 machine with network ' +
    'access, an NVIDIA GPU, CUDA 11.2 and cuDNN 8, allow its build script (`pnpm approve-builds`, select ' +
    '@tensorflow/tfjs-node-gpu) and run `pnpm rebuild @tensorflow/tfjs-node-gpu`; or set IMECD_BACKEND=auto ' +
    'to fall back to wasm',
  tensorflow:
    '@tensorflow/tfjs-node is not installed with @imecd/backend. Add it to your app ' +
    '(`pnpm add @tensorflow/tfjs-node@4.22.0`) and allow its build script (`pnpm approve-builds`) on a ' +
    'Linux, macOS or Windows x64 machine that can reach Google storage, where it downloads libtensorflow 2.9.1; ' +
    'or set IMECD_BACKEND=auto to fall back to wasm',
  webgpu:
    'WebGPU needs a GPU adapter: in Node the optional `webgpu` package (Dawn; installed with @imecd/backend on ' +
    'linux/mac/windows x64 and arm64) and a Vulkan (Linux: the GPU driver and libvulkan1), Metal or D3D12 device; ' +
    'a software adapter (llvmpipe, lavapipe, SwiftShader) does not count. Or set IMECD_BACKEND=auto to fall back to wasm',
  wasm:
    '@tensorflow/tfjs-backend-wasm ships its .wasm binaries in its dist/ folder; reinstall dependencies ' +
    '(`pnpm install`) and check that a bundler, if any, copies those files next to the bundle; or set ' +
    'IMECD_BACKEND=cpu',
  cpu: 'the cpu backend comes with @tensorflow/tfjs; reinstall dependencies (`pnpm install`)',
};

/**
 * The specifier is a parameter rather than a literal so that neither tsc nor a bundler tries to
 * resolve packages that are optional (tfjs-node-gpu) or not dependencies at all (tfjs-node).
 */
async function loadNative(specifier: string, label: string): Promise<LoadedBackend> {
  const imported = (await import(specifier)) as NativeModule & { default?: NativeModule };
  const version = imported.version ?? imported.default?.version;
  const own = version?.['tfjs-node'];
  return { engineName: 'tensorflow', versions: own === undefined ? {} : { [label]: own } };
}

/** The part of tfjs-node(-gpu)'s exports read here: both put their own version under `tfjs-node`. */
interface NativeModule {
  version?: Record<string, string>;
}
