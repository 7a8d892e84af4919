import { InvalidArgumentError } from '@imecd/core';
import type { Variable } from '@tensorflow/tfjs-core';
import type { Module } from './module';

/**
 * The variables of several modules (or plain variable lists) as one list, in argument order, for
 * an optimizer or for {@link serializeVariables}. A variable reached twice (a shared module) is
 * listed once; two different variables with one name are refused, since names identify
 * variables in saved files and in tfjs optimizers.
 */
export function collectVariables(...sources: readonly (Module | readonly Variable[])[]): Variable[] {
  const byName = new Map<string, Variable>();
  for (const source of sources) {
    for (const variable of isVariableList(source) ? source : source.variables) {
      const known = byName.get(variable.name);
      if (known === undefined) byName.set(variable.name, variable);
      else if (known !== variable)
        throw new InvalidArgumentError('modules', `two different variables are named "${variable.name}"`);
    }
  }
  return [...byName.values()];
}

function isVariableList(source: Module | readonly Variable[]): source is readonly Variable[] {
  return Array.isArray(source);
}
