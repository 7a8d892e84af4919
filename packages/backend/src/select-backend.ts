import { ImecdError, InvalidArgumentError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import type { BackendLoader, LoadedBackend, LoaderContext } from './backend-loaders';
import { BACKEND_FIXES, DEFAULT_BACKEND_LOADERS } from './backend-loaders';
import type { BackendChoice, BackendName } from './backend-names';
import { BACKEND_NAMES, isBackendName, parseBackendChoice } from './backend-names';
import { BackendUnavailableError } from './backend-unavailable-error';
import { registerFastKernels } from './register-fast-kernels';

/** The `@tensorflow/tfjs` namespace, with every op, gradient and chained op registered. */
export type TensorFlow = typeof tf;

/** Options of `selectBackend`. */
export interface SelectBackendOptions {
  /**
   * The backend to use. `auto` tries tensorflow-gpu, tensorflow, webgpu, wasm and cpu in that order and keeps
   * the first that loads; a name uses that backend or throws `BackendUnavailableError`.
   * Default: the `IMECD_BACKEND` variable of `env` when set and not empty, else `auto`.
   */
  backend?: BackendChoice;
  /** Where `IMECD_BACKEND` is read from. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Loaders that replace the built-in ones, by backend name; the rest stay built-in. Meant for
   * tests that simulate a native backend. Default: none replaced.
   */
  loaders?: Partial<Record<BackendName, BackendLoader>>;
  /**
   * Threads of the wasm backend: more than 1 loads its threaded SIMD build (XNNPACK's pool, capped at
   * the machine's cores; the selection's `threads` says how many it got). Set before the wasm backend
   * first initialises in a process; later calls cannot change it. Default: the `IMECD_THREADS` variable
   * of `env` when set, else 1 (the single-threaded build).
   */
  threads?: number;
  /**
   * Let webgpu run on a software adapter (a CPU rasterizer such as Mesa's lavapipe), which `auto`
   * otherwise skips as slower than wasm: for checking the WebGPU kernels' values without a GPU. Default false.
   */
  allowSoftwareAdapter?: boolean;
}

/** One backend `selectBackend` tried; `reason` says why it failed. */
export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  reason?: string;
}

/** The outcome of `selectBackend`; by then the engine runs on it. */
export interface BackendSelection {
  name: BackendName;
  /** The name the tfjs engine knows it by: `tf.getBackend()` returns this. */
  engineName: string;
  tf: TensorFlow;
  /** Every backend tried, in order; the last one is the one chosen. */
  attempts: BackendAttempt[];
  /** tfjs package versions (`tf.version`) plus those of the backend package loaded. */
  versions: Record<string, string>;
  /** Threads the backend computes with, where it says (wasm). */
  threads?: number;
  /** Why fewer threads than asked run (wasm's threaded build could not start), when that happened. */
  threadsFallback?: string;
  /** The GPU adapter webgpu runs on (vendor, architecture, device, description). */
  adapter?: string;
}

const ENV_VARIABLE = 'IMECD_BACKEND';
const THREADS_VARIABLE = 'IMECD_THREADS';

let lastSelection: BackendSelection | undefined;

/**
 * Chooses the TensorFlow.js backend, makes it the engine's backend and waits until it is ready.
 * Registers the fast kernels first. Calling it again with the same choice gives the same result.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  const { choice, loaders, threads } = resolveOptions(options);
  const allowSoftwareAdapter = options.allowSoftwareAdapter === true;
  registerFastKernels();
  const candidates: readonly BackendName[] = choice === 'auto' ? BACKEND_NAMES : [choice];
  const attempts: BackendAttempt[] = [];
  const previous: string | null = tf.engine().backendName ?? null;
  for (const name of candidates) {
    let outcome = await activate(loaders[name], { threads, allowSoftwareAdapter });
    let threadsFallback: string | undefined;
    if (!outcome.ok && name === 'wasm' && threads > 1) {
      // The threaded build needs what only some installs have (under Node: this repository's patch of
      // the package); one thread still beats falling through to the cpu backend.
      const single = await activate(loaders[name], { threads: 1, allowSoftwareAdapter });
      if (single.ok) {
        threadsFallback =
          `wasm's threaded build could not start with ${threads} threads (${outcome.reason}); running its single-threaded build. ` +
          "Under Node the threaded build needs @tensorflow/tfjs-backend-wasm patched as in this repository's patches/ (pnpm applies it)";
        emitWarning(threadsFallback);
        outcome = single;
      }
    }
    if (outcome.ok) {
      registerFastKernels(); // again: the kernels that wrap a backend's own need it loaded
      attempts.push({ name, ok: true });
      const versions: Record<string, string> = { ...tf.version, ...outcome.loaded.versions };
      const after = outcome.loaded.afterInit?.() ?? {};
      lastSelection = {
        name,
        engineName: outcome.loaded.engineName,
        tf,
        attempts,
        versions,
        ...(after.threads === undefined ? {} : { threads: after.threads }),
        ...(threadsFallback === undefined ? {} : { threadsFallback }),
        ...(after.adapter === undefined ? {} : { adapter: after.adapter }),
      };
      return lastSelection;
    }
    attempts.push({ name, ok: false, reason: outcome.reason });
    if (choice !== 'auto') {
      await restore(previous);
      throw new BackendUnavailableError(name, outcome.reason, BACKEND_FIXES[name], { cause: outcome.error });
    }
  }
  await restore(previous);
  // Only reachable with injected loaders or a broken install: cpu ships inside @tensorflow/tfjs.
  const summary = attempts.map((attempt) => `${attempt.name}: ${attempt.reason ?? 'failed'}`).join('; ');
  throw new ImecdError('NO_BACKEND', `No TensorFlow.js backend could be loaded (${summary})`);
}

/** The selection made by the last successful `selectBackend` call in this process, if any. */
export function lastBackendSelection(): BackendSelection | undefined {
  return lastSelection;
}

function resolveOptions(options: SelectBackendOptions): {
  choice: BackendChoice;
  loaders: Record<BackendName, BackendLoader>;
  threads: number;
} {
  const env = options.env ?? process.env;
  const threadsFromEnv = env[THREADS_VARIABLE]?.trim();
  const threads = options.threads ?? (threadsFromEnv ? Number(threadsFromEnv) : 1);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new InvalidArgumentError(
      options.threads !== undefined ? 'threads' : THREADS_VARIABLE,
      `expected a positive integer, got ${options.threads ?? threadsFromEnv}`,
    );
  }
  const fromEnv = env[ENV_VARIABLE]?.trim();
  const choice =
    options.backend !== undefined
      ? parseBackendChoice(options.backend, 'backend')
      : fromEnv
        ? parseBackendChoice(fromEnv, ENV_VARIABLE)
        : 'auto';
  const loaders = { ...DEFAULT_BACKEND_LOADERS };
  for (const [name, loader] of Object.entries(options.loaders ?? {})) {
    if (!isBackendName(name)) {
      throw new InvalidArgumentError(
        'loaders',
        `unknown backend "${name}"; valid names are ${BACKEND_NAMES.join(', ')}`,
      );
    }
    if (typeof loader !== 'function') {
      throw new InvalidArgumentError('loaders', `the loader for "${name}" must be a function`);
    }
    loaders[name] = loader;
  }
  return { choice, loaders, threads };
}

type Activation = { ok: true; loaded: LoadedBackend } | { ok: false; reason: string; error: unknown };

/** Loads one backend and switches the engine to it. */
async function activate(loader: BackendLoader, context: LoaderContext): Promise<Activation> {
  // While wasm's threaded build starts, its pthread workers can be unreferenced (a worker is unreferenced once
  // it has loaded), and what is awaited here is then no reason for Node to wait: a start that never settled
  // ended the program inside this await with exit code 13 (unsettled top-level await). A referenced timer
  // keeps the process alive until the backend is up. (That start never settled because the package wrote the
  // worker's script once per worker and one could read it mid-write; patches/ now writes it once.)
  const keepAlive = setInterval(() => {}, 2 ** 30);
  try {
    const loaded = await loader(context);
    // false (after tfjs prints a warning) when the backend's own initialisation fails.
    if (!(await tf.setBackend(loaded.engineName))) {
      return { ok: false, reason: `tf.setBackend('${loaded.engineName}') could not initialise it`, error: undefined };
    }
    await tf.ready();
    silenceNodeAdvert(tf.findBackend(loaded.engineName));
    return { ok: true, loaded };
  } catch (error) {
    return { ok: false, reason: firstLine(error), error };
  } finally {
    clearInterval(keepAlive);
  }
}

/** A Node process warning (stderr, once per message), or the console elsewhere. */
function emitWarning(message: string): void {
  if (typeof process === 'object' && typeof process.emitWarning === 'function')
    process.emitWarning(message, { code: 'IMECD_WASM_THREADS' });
  else console.warn(message);
}

/**
 * tfjs's cpu backend prints "Hi, looks like you are running TensorFlow.js in Node.js…" on its first
 * tensor in Node (once per process: 59 times in a test run). The choice it advertises is already made
 * and explained here (`describeBackend` says which backend runs and why), so it marks that first use
 * as done. Only that flag is touched, not tfjs's log level, so every other tfjs warning still shows.
 */
function silenceNodeAdvert(backend: unknown): void {
  if (backend !== null && typeof backend === 'object' && 'firstUse' in backend)
    (backend as { firstUse: boolean }).firstUse = false;
}

/**
 * A failed `setBackend` leaves the engine pointing at a backend with no instance; go back to the
 * one in use before, if it had been initialised.
 */
async function restore(previous: string | null): Promise<void> {
  if (previous !== null && previous !== tf.engine().backendName && tf.engine().registry[previous] !== undefined) {
    await tf.setBackend(previous);
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // The trailing full stop goes: the reason is embedded in sentences of our own.
  return message.split('\n')[0]?.trim().replace(/\.+$/, '') || 'unknown error';
}
