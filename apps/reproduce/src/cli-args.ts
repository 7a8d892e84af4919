import { type BackendChoice, parseBackendChoice } from '@imecd/backend';
import { InvalidArgumentError, type UntypedSettingsSchema } from '@imecd/core';
import { UsageError } from './usage-error';

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

/** `key=value` of a --set or --grid flag (key: a setting name), or undefined when malformed. */
export function splitKeyValue(flag: string): [key: string, value: string] | undefined {
  const match = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(flag);
  return match ? [match[1]!, match[2]!] : undefined;
}

/** The `--set key=value` flags as {key: value} (a later flag wins); a malformed one is a UsageError. */
export function parseSetFlags(flags: string[]): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const flag of flags) {
    const pair = splitKeyValue(flag);
    if (!pair) throw new UsageError(`--set expects key=value, got "${flag}"`);
    settings[pair[0]] = pair[1];
  }
  return settings;
}

/**
 * The value `--set key=text` gives a setting of `schema` (its declared kind and range), or a
 * UsageError naming the key and what it accepts.
 */
export function parseSetValue(schema: UntypedSettingsSchema, key: string, text: string): number | string | boolean {
  try {
    return schema.parse(key, text);
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    throw new UsageError(`--set ${key}: ${error.message.replace(`Invalid ${key}: `, '')}`);
  }
}

/** The usage lines of the backend flags, shared by the commands that compute. */
export const BACKEND_FLAGS_USAGE = `  --backend NAME        auto | tensorflow-gpu | tensorflow | webgpu | wasm | cpu (default: IMECD_BACKEND or auto)
  --threads N           threads of the wasm backend (default: IMECD_THREADS or 1); more than 1 runs its
                        threaded SIMD build, or its single-threaded one with a warning where that cannot start`;

/** `--backend` and `--threads` as selectBackend options (absent flags leave IMECD_BACKEND / IMECD_THREADS in charge). */
export function backendOptions(values: { backend?: string; threads?: string }): {
  backend?: BackendChoice;
  threads?: number;
} {
  try {
    return {
      ...(values.backend ? { backend: parseBackendChoice(values.backend, '--backend') } : {}),
      ...(values.threads === undefined ? {} : { threads: parsePositiveInteger('--threads', values.threads) }),
    };
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new UsageError(error.message);
    throw error;
  }
}
