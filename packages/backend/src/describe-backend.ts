import * as tf from '@tensorflow/tfjs';
import type { BackendName } from './backend-names';
import { lastBackendSelection } from './select-backend';

/** What a run log or a results JSON should record about where the numbers came from. */
export interface BackendDescription {
  /** The backend `selectBackend` chose, or null if none was chosen or the engine was switched away since. */
  backend: BackendName | null;
  /** The tfjs engine's current backend name, or null before any backend was set. */
  engineBackend: string | null;
  /** tfjs package versions, plus the backend package's when `selectBackend` loaded one. */
  versions: Record<string, string>;
  /** Threads the backend computes with, where it says (wasm: 1 for its single-threaded build). */
  threads?: number;
  /** Why fewer threads than asked run, when wasm's threaded build could not start. */
  threadsFallback?: string;
  /** The GPU adapter, when webgpu runs. */
  adapter?: string;
  /** `cores` is what this process may use (`os.availableParallelism()`), not what the host has. */
  cpu: { model: string; cores: number };
  /** `process.version`, e.g. `v20.20.2`. */
  node: string;
  /** `${process.platform}-${process.arch}`, e.g. `linux-x64`. */
  platform: string;
}

/**
 * Describes the backend in use without initialising one (reading `tf.getBackend()` would). Node only;
 * node:os is reached when it is called, not imported, so a page that bundles this package (apps/web,
 * Vite's dev server included) loads it without Node's modules.
 */
export function describeBackend(): BackendDescription {
  const { availableParallelism, cpus } = process.getBuiltinModule('node:os');
  const selection = lastBackendSelection();
  const engineBackend: string | null = tf.engine().backendName ?? null;
  const current = selection !== undefined && selection.engineName === engineBackend ? selection : undefined;
  const processors = cpus();
  return {
    backend: current?.name ?? null,
    engineBackend,
    versions: current?.versions ?? { ...tf.version },
    ...(current?.threads === undefined ? {} : { threads: current.threads }),
    ...(current?.threadsFallback === undefined ? {} : { threadsFallback: current.threadsFallback }),
    ...(current?.adapter === undefined ? {} : { adapter: current.adapter }),
    cpu: {
      // cpus() can be empty inside some containers.
      model: processors[0]?.model.trim() || 'unknown',
      cores: availableParallelism(),
    },
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}
