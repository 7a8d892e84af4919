import { InvalidArgumentError } from '@imecd/core';
import type { Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** What every stateful building block returns: its variables and a way to free them. */
export interface Module {
  /** Trainable float32 variables; each `variable.name` is the scoped name, e.g. `encoder/layer_0/attention/query/kernel`. */
  readonly variables: readonly Variable[];
  /** Disposes the variables and frees their names; the module must not be applied afterwards. */
  dispose(): void;
}

/** Options of {@link createNamedVariable}. */
export interface NamedVariableOptions {
  /**
   * Whether optimizers update the variable. Default: `true`. Pass `false` for state that is moved
   * by hand (EMA statistics, counters, flags): optimizers skip it, `serializeVariables` still saves it.
   */
  trainable?: boolean;
}

/**
 * A float32 variable named `name`, trainable unless `options.trainable` is `false`. tfjs keeps one
 * global registry of variable names (optimizers find variables by name), so a second module with
 * the same scope is refused here with an error that says which option to change, instead of
 * tfjs's own bare message.
 * @throws InvalidArgumentError (argument `name`) when a variable named `name` already exists.
 */
export function createNamedVariable(
  name: string,
  shape: readonly number[],
  values: Float32Array,
  options: NamedVariableOptions = {},
): Variable {
  if (tf.engine().registeredVariables[name] !== undefined) {
    throw new InvalidArgumentError(
      'name',
      `a variable named "${name}" already exists; give each module a distinct \`name\` or dispose the old one first`,
    );
  }
  const initial = tf.tensor(values, [...shape], 'float32');
  const variable = tf.variable(initial, options.trainable ?? true, name);
  initial.dispose();
  return variable;
}

/** Disposes every variable of a module; shared by the factories' `dispose()`. */
export function disposeVariables(variables: readonly Variable[]): void {
  for (const variable of variables) variable.dispose();
}

/**
 * Builds a module's children all or nothing: if one factory throws (a taken name, a bad shape),
 * the children already built are disposed so their variable names are free again. Factories run
 * in key order, which is also the order of the parent's `variables`.
 */
export function createChildModules<T extends Record<string, Module>>(factories: { [K in keyof T]: () => T[K] }): T {
  const built: Partial<T> = {};
  try {
    for (const key of Object.keys(factories) as (keyof T)[]) built[key] = factories[key]();
  } catch (error) {
    for (const module of Object.values(built) as Module[]) module.dispose();
    throw error;
  }
  return built as T;
}

/** The variables of several modules, in order (a record's in key order), e.g. for a parent's `variables`. */
export function variablesOf(modules: Record<string, Module> | readonly Module[]): Variable[] {
  return Object.values(modules).flatMap((module: Module) => [...module.variables]);
}

/**
 * A module that is a list of same-kind modules (the blocks of a stack), built all or nothing in
 * list order, like {@link createChildModules}; `dispose()` disposes every item's variables.
 */
export function createModuleList<M extends Module>(
  factories: readonly (() => M)[],
): Module & { readonly items: readonly M[] } {
  const items = Object.values(
    createChildModules<Record<string, M>>(Object.fromEntries(factories.map((factory, index) => [index, factory]))),
  );
  const variables = variablesOf(items);
  return { items, variables, dispose: () => disposeVariables(variables) };
}

/** A single named variable wrapped as a module, so it can be built all or nothing next to real modules. */
export function createVariableModule(
  name: string,
  shape: readonly number[],
  values: Float32Array,
): Module & { readonly variable: Variable } {
  const variable = createNamedVariable(name, shape, values);
  return { variable, variables: [variable], dispose: () => variable.dispose() };
}
