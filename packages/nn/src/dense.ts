import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type Initializer, parseInitializer } from './initializer';
import { lastAxisLayer } from './last-axis-layer';
import { matMul2d } from './mat-mul-2d';
import { createNamedVariable, type Module } from './module';
import { createSeededRng } from './seed';
import { requirePositiveInteger, requireScopeName } from './validate';

/** Options of {@link createDense}. */
export interface DenseOptions {
  /** Size of the last input axis. Required. */
  inputSize: number;
  /** Size of the last output axis. Required. */
  outputSize: number;
  /** Add a learned bias (initialised to zero). Default true. */
  useBias?: boolean;
  /** Scope of the variables `<name>/kernel` [in, out] and `<name>/bias` [out]. Default `'dense'`. */
  name?: string;
  /** Seed of the kernel's initial values. Default: a random seed (not reproducible). */
  seed?: number;
  /** How the kernel starts. Default `'glorot-uniform'`. */
  initializer?: Initializer;
}

/** A fully connected layer `y = x·W + b` over the last axis. */
export interface Dense extends Module {
  readonly inputSize: number;
  readonly outputSize: number;
  /** The [inputSize, outputSize] weight. */
  readonly kernel: Variable;
  /** The [outputSize] bias, or undefined when `useBias` is false. */
  readonly bias: Variable | undefined;
  /** [..., inputSize] of any rank ≥ 1 → [..., outputSize]. */
  apply<T extends Tensor>(x: T): T;
}

export function createDense(options: DenseOptions): Dense {
  const inputSize = requirePositiveInteger('inputSize', options.inputSize);
  const outputSize = requirePositiveInteger('outputSize', options.outputSize);
  const name = requireScopeName('name', options.name ?? 'dense');
  const fill = parseInitializer('initializer', options.initializer ?? 'glorot-uniform');
  const rng = createSeededRng(options.seed);

  const kernel = createNamedVariable(`${name}/kernel`, [inputSize, outputSize], fill([inputSize, outputSize], rng));
  const bias =
    (options.useBias ?? true)
      ? createNamedVariable(`${name}/bias`, [outputSize], new Float32Array(outputSize))
      : undefined;
  const variables = bias === undefined ? [kernel] : [kernel, bias];

  return {
    inputSize,
    outputSize,
    kernel,
    bias,
    ...lastAxisLayer(name, inputSize, variables, (x) => {
      // matMul2d is the fast wasm path, so every rank goes through one 2-D product.
      const rows = tf.reshape(x, [-1, inputSize]) as Tensor2D; // [N, in]
      const product = matMul2d(rows, kernel as Tensor2D); // [N, out]
      const output = bias === undefined ? product : tf.add(product, bias);
      return tf.reshape(output, [...x.shape.slice(0, -1), outputSize]); // [..., out]
    }),
  };
}
