import * as tf from '@tensorflow/tfjs-core';
import type { Variable } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@imecd/core';

/**
 * A float32 variable named `name`, trainable or not. Codebooks trained by gradient are trainable;
 * EMA statistics, codebooks moved by EMA, idle counters and the initialisation flag are not, so
 * optimizers skip them while `serializeVariables` still saves them. (`@imecd/nn` only builds
 * trainable variables, hence this local twin.) tfjs keeps one global registry of variable names,
 * so a taken name is refused with an error that says which option to change.
 */
export function createStateVariable(name: string, shape: readonly number[], values: Float32Array, trainable: boolean): Variable {
  if (tf.engine().registeredVariables[name] !== undefined) {
    throw new InvalidArgumentError(
      'name',
      `a variable named "${name}" already exists; give each quantizer a distinct \`name\` or dispose the old one first`,
    );
  }
  const initial = tf.tensor(values, [...shape], 'float32');
  const variable = tf.variable(initial, trainable, name);
  initial.dispose();
  return variable;
}
