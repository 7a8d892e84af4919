import { availableParallelism } from 'node:os';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type BackendChoice, parseBackendChoice } from '@imecd/backend';
import { InvalidArgumentError } from '@imecd/core';
import { UsageError } from './usage-error';

type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** The flags of a command: no positional arguments, and an unknown flag is an error (exit 2). */
export function parseFlags<const O extends FlagOptions>(args: string[], options: O): FlagValues<O> {
  return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
}

type FlagValues<O extends FlagOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: false }>
>['values'];

/** Flags several commands share, spread into their `parseFlags` options. */
export const JSON_FLAG = { json: { type: 'boolean', default: false } } as const;
export const DATASET_FLAGS = { dataset: { type: 'string' }, 'data-dir': { type: 'string' } } as const;
export const BACKEND_FLAGS = { backend: { type: 'string' }, threads: { type: 'string' } } as const;

/** An integer flag value, or a UsageError naming the flag. */
export function parseInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value)) throw new UsageError(`${flag}: "${text}" is not an integer`);
  return value;
}

/** A positive integer flag value, or a UsageError naming the flag. */
export function parsePositiveInteger(flag: string, text: string): number {
  const value = parseInteger(flag, text);
  if (value < 1) throw new UsageError(`${flag}: expected a positive integer, got ${value}`);
  return value;
}

/** The usage lines of the backend flags, shared by the commands that compute. */
export const BACKEND_FLAGS_USAGE = `  --backend NAME        auto | tensorflow-gpu | tensorflow | webgpu | wasm | cpu (default: IMECD_BACKEND or auto)
  --threads N           threads of the wasm backend (default: IMECD_THREADS, else the cores shared among
                        --jobs and --workers); more than 1 runs its threaded SIMD build, or its
                        single-threaded one (with a warning) where that cannot start`;

/**
 * `--backend` and `--threads` as selectBackend options. Threads: the flag, else IMECD_THREADS (left to
 * selectBackend), else the cores this process may use shared among `jobs` processes (or threads), which the bench
 * measured never slower than one thread and faster on IMECD and evaluation (README, Performance).
 */
export function backendOptions(
  values: { backend?: string | undefined; threads?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
  jobs = 1,
): { backend?: BackendChoice; threads?: number } {
  try {
    const threads =
      values.threads !== undefined
        ? parsePositiveInteger('--threads', values.threads)
        : env.IMECD_THREADS?.trim()
          ? undefined
          : Math.max(1, Math.floor(availableParallelism() / jobs));
    return {
      ...(values.backend ? { backend: parseBackendChoice(values.backend, '--backend') } : {}),
      ...(threads === undefined ? {} : { threads }),
    };
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new UsageError(error.message);
    throw error;
  }
}
