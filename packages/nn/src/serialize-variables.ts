import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import type { Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** Where one variable sits in {@link SerializedVariables.data}. */
export interface VariableManifestEntry {
  /** The variable's scoped name, e.g. `encoder/layer_0/attention/query/kernel`. */
  name: string;
  shape: number[];
  /** Always `'float32'`: only float32 variables are serialized. */
  dtype: 'float32';
  /** Index of the first value in `data` (in elements, not bytes). */
  offset: number;
}

/** Variables as one flat float32 buffer plus a manifest; JSON-friendly apart from `data`. */
export interface SerializedVariables {
  manifest: VariableManifestEntry[];
  data: Float32Array;
}

/** Options of {@link restoreVariables}. */
export interface RestoreVariablesOptions {
  /** Accept manifest entries that match no variable (restore a part of a larger model). Default false. */
  allowUnused?: boolean;
}

/** Copies the current values of `variables` (float32 only) into one buffer, in list order. */
export function serializeVariables(variables: readonly Variable[]): SerializedVariables {
  const manifest: VariableManifestEntry[] = [];
  let size = 0;
  for (const variable of variables) {
    if (variable.dtype !== 'float32')
      throw new InvalidArgumentError(variable.name, `only float32 variables are serialized, got ${variable.dtype}`);
    if (manifest.some((entry) => entry.name === variable.name))
      throw new InvalidArgumentError(variable.name, 'listed twice');
    manifest.push({ name: variable.name, shape: [...variable.shape], dtype: 'float32', offset: size });
    size += variable.size;
  }
  const data = new Float32Array(size);
  variables.forEach((variable, index) => {
    data.set(variable.dataSync() as Float32Array, manifest[index]?.offset);
  });
  return { manifest, data };
}

/**
 * Assigns saved values to `variables`, matched by name. Every variable must be in the manifest
 * with the same shape; the checks run before any assignment, so a failed restore changes nothing.
 */
export function restoreVariables(
  variables: readonly Variable[],
  serialized: SerializedVariables,
  options: RestoreVariablesOptions = {},
): void {
  const entries = new Map(serialized.manifest.map((entry) => [entry.name, entry]));
  const plan = variables.map((variable) => {
    const entry = entries.get(variable.name);
    if (entry === undefined) throw new InvalidArgumentError(variable.name, 'not found in the serialized manifest');
    if (!sameShape(entry.shape, variable.shape))
      throw new ShapeMismatchError(variable.name, `[${variable.shape.join(', ')}]`, entry.shape);
    const size = variable.size;
    if (!Number.isInteger(entry.offset) || entry.offset < 0 || entry.offset + size > serialized.data.length) {
      throw new InvalidArgumentError(
        variable.name,
        `offset ${entry.offset} + size ${size} lies outside data of length ${serialized.data.length}`,
      );
    }
    // A copy: some backends keep the array they are given, which would alias the caller's buffer.
    return { variable, values: serialized.data.slice(entry.offset, entry.offset + size) };
  });
  if (!(options.allowUnused ?? false)) {
    const wanted = new Set(variables.map((variable) => variable.name));
    const unused = serialized.manifest.filter((entry) => !wanted.has(entry.name)).map((entry) => entry.name);
    if (unused.length > 0)
      throw new InvalidArgumentError(
        'serialized',
        `entries match no variable: ${unused.join(', ')} (pass allowUnused to ignore them)`,
      );
  }
  for (const { variable, values } of plan) {
    tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, 'float32')));
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dimension, index) => dimension === b[index]);
}
