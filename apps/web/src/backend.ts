import { BackendUnavailableError, registerFastKernels, selectBackend } from '@imecd/backend';
import * as tf from '@tensorflow/tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** The backends this page tries, in order: a GPU when the browser offers a real one, else wasm. */
export const PAGE_BACKENDS = ['webgpu', 'webgl', 'wasm'] as const;
export type PageBackend = (typeof PAGE_BACKENDS)[number];

export interface BackendChoice {
  name: PageBackend;
  /** The GPU or the wasm build it runs on. */
  detail: string;
  /** The backends tried before it, each with why it was passed over. */
  skipped: string[];
}

// CPU rasterizers pose as GPUs; tfjs on them is slower than wasm, as @imecd/backend also judges for WebGPU.
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|software|basic render/i;

/**
 * Starts the first backend of PAGE_BACKENDS that works here, or only `requested` (the page's
 * `?backend=` parameter) when it names one; a requested GPU backend may run on a software renderer
 * (to compare). WebGPU and wasm go through @imecd/backend, the one place that loads backends for the
 * apps; WebGL, which it does not know (it targets Node), is started here.
 */
export async function chooseBackend(requested?: string | null): Promise<BackendChoice> {
  const order = PAGE_BACKENDS.filter((name) => !requested || name === requested);
  if (order.length === 0) throw new Error(`unknown backend "${requested}"; this page runs ${PAGE_BACKENDS.join(', ')}`);
  const skipped: string[] = [];
  for (const name of order) {
    try {
      return { name, detail: await start(name, order.length === 1), skipped };
    } catch (error) {
      skipped.push(`${name}: ${reasonOf(error)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${skipped.join('; ')})`);
}

async function start(name: PageBackend, allowSoftware: boolean): Promise<string> {
  if (name === 'webgpu') {
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) throw new Error('this browser has no WebGPU');
    // Asked here first so the reason reads as the browser's (@imecd/backend words it for Node's Dawn).
    if (!(await gpu.requestAdapter())) throw new Error('the browser offers no WebGPU adapter');
    const selection = await selectBackend({ backend: 'webgpu', env: {}, allowSoftwareAdapter: allowSoftware });
    return selection.adapter ?? 'GPU';
  }
  if (name === 'webgl') {
    const renderer = webglRenderer();
    if (SOFTWARE_RENDERER.test(renderer) && !allowSoftware)
      throw new Error(`only a software renderer (${renderer}), slower than wasm`);
    if (!(await tf.setBackend('webgl'))) throw new Error('tfjs could not initialise WebGL');
    await tf.ready();
    registerFastKernels();
    return renderer;
  }
  // Imported only now: importing the wasm package registers its backend, and the .wasm files are
  // served by this site (Vite copies them into assets/ with hashed names), not fetched from a CDN.
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  });
  // One thread: the threaded build needs a cross-origin-isolated page, which a plain static host is not.
  await selectBackend({ backend: 'wasm', env: {}, threads: 1 });
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return simd ? 'SIMD build' : 'plain build (no SIMD in this browser)';
}

/** The WebGL renderer's name, or an error when the browser offers no WebGL. */
function webglRenderer(): string {
  const gl =
    document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) throw new Error('this browser has no WebGL');
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext(); // a probe: give the context back at once
  return renderer;
}

function reasonOf(error: unknown): string {
  if (error instanceof BackendUnavailableError) return error.reason;
  return error instanceof Error ? error.message : String(error);
}
