import * as tf from '@tensorflow/tfjs-core';
import type { Variable } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@imecd/core';
import type { Module } from '@imecd/nn';

// Local versions of two helpers @imecd/nn keeps internal: building children all or nothing, and
// creating a named variable with a readable error when the name is taken.

/**
 * Runs the factories in order; if one throws (a taken name, a bad option), the modules already
 * built are disposed so their variable names are free again, and the error is rethrown.
 */
export function createModules<T extends Record<string, Module>>(factories: { [K in keyof T]: () => T[K] }): T {
  const built: Partial<T> = {};
  try {
    for (const key of Object.keys(factories) as (keyof T)[]) built[key] = factories[key]();
  } catch (error) {
    for (const module of Object.values(built) as Module[]) module.dispose();
    throw error;
  }
  return built as T;
}

/**
 * A trainable float32 variable named `name`, wrapped as a module. tfjs keeps one global registry
 * of variable names (optimizers find variables by name), so a taken name is refused here with an
 * error that says which option to change.
 */
export function createVariableModule(name: string, shape: readonly number[], values: Float32Array): Module & { readonly variable: Variable } {
  if (tf.engine().registeredVariables[name] !== undefined) {
    throw new InvalidArgumentError('name', `a variable named "${name}" already exists; give each module a distinct \`name\` or dispose the old one first`);
  }
  const variable = tf.tidy(() => tf.variable(tf.tensor(values, [...shape], 'float32'), true, name));
  return { variable, variables: [variable], dispose: () => variable.dispose() };
}

/** The variables of several modules, in order. */
export function variablesOf(modules: Record<string, Module>): Variable[] {
  return Object.values(modules).flatMap((module) => [...module.variables]);
}
