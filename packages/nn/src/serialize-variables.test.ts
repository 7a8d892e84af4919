import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDense } from './dense';
import { restoreVariables, serializeVariables } from './serialize-variables';
import { syntheticPaddingMask, syntheticTensor } from './synthetic.test-helper';
import { expectTensorsClose } from './testing/index';
import { createTransformerEncoder } from './transformer-encoder';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  tf.disposeVariables();
});

describe('serializeVariables', () => {
  it('lays variables out in list order with element offsets', () => {
    const dense = createDense({ inputSize: 2, outputSize: 3, seed: 1 });
    dense.kernel.assign(
      tf.tensor2d([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    dense.bias!.assign(tf.tensor1d([7, 8, 9]));
    const serialized = serializeVariables(dense.variables);
    expect(serialized.manifest).toEqual([
      { name: 'dense/kernel', shape: [2, 3], dtype: 'float32', offset: 0 },
      { name: 'dense/bias', shape: [3], dtype: 'float32', offset: 6 },
    ]);
    expect(Array.from(serialized.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('round-trips an encoder: a fresh model with another seed restores to the same outputs', () => {
    const options = {
      hiddenSize: 4,
      numHeads: 2,
      innerSize: 8,
      numLayers: 1,
      maxLength: 3,
      dropout: 0,
      attentionDropout: 0,
    };
    const trained = createTransformerEncoder({ ...options, seed: 1 });
    const inputs = syntheticTensor<tf.Rank.R3>([2, 3, 4], 2);
    const mask = syntheticPaddingMask([3, 1], 3);
    const expected = trained.apply(inputs, mask, { training: false });
    const serialized = serializeVariables(trained.variables);
    trained.dispose(); // frees the names, as in a new process

    const restored = createTransformerEncoder({ ...options, seed: 2 });
    expect(Array.from(restored.apply(inputs, mask, { training: false }).dataSync())).not.toEqual(
      Array.from(expected.dataSync()),
    );
    restoreVariables(restored.variables, serialized);
    expectTensorsClose(restored.apply(inputs, mask, { training: false }), expected, 0);
  });

  it('does not alias the serialized buffer after restoring', () => {
    const dense = createDense({ inputSize: 1, outputSize: 2, useBias: false, seed: 1 });
    const serialized = {
      manifest: [{ name: 'dense/kernel', shape: [1, 2], dtype: 'float32' as const, offset: 0 }],
      data: new Float32Array([1, 2]),
    };
    restoreVariables(dense.variables, serialized);
    serialized.data[0] = 99;
    expectTensorsClose(dense.kernel, [[1, 2]]);
  });

  it('names the variable whose shape or name does not fit, and changes nothing then', () => {
    const source = createDense({ inputSize: 2, outputSize: 3, name: 'source', seed: 1 });
    const serialized = serializeVariables(source.variables);
    const target = createDense({ inputSize: 2, outputSize: 3, name: 'target', seed: 2 });
    expect(() => restoreVariables(target.variables, serialized)).toThrow(/target\/kernel.*not found/);

    const renamed = {
      ...serialized,
      manifest: serialized.manifest.map((entry) => ({ ...entry, name: entry.name.replace('source', 'target') })),
    };
    const wide = createDense({ inputSize: 3, outputSize: 3, name: 'target_wide', seed: 3 });
    const wideRenamed = {
      ...renamed,
      manifest: renamed.manifest.map((entry) => ({ ...entry, name: entry.name.replace('target', 'target_wide') })),
    };
    const before = Array.from(wide.kernel.dataSync());
    let error: unknown;
    try {
      restoreVariables(wide.variables, wideRenamed);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ShapeMismatchError);
    expect((error as ShapeMismatchError).argument).toBe('target_wide/kernel');
    expect((error as Error).message).toContain('expected [3, 3], got [2, 3]');
    expect(Array.from(wide.kernel.dataSync())).toEqual(before);
  });

  it('refuses unused entries unless asked, and truncated data always', () => {
    const dense = createDense({ inputSize: 2, outputSize: 2, seed: 1 });
    const serialized = serializeVariables(dense.variables);
    expect(() => restoreVariables([dense.kernel], serialized)).toThrow(/dense\/bias/);
    expect(() => restoreVariables([dense.kernel], serialized, { allowUnused: true })).not.toThrow();
    expect(() => restoreVariables(dense.variables, { ...serialized, data: serialized.data.slice(0, 5) })).toThrow(
      InvalidArgumentError,
    );
  });

  it('refuses int32 variables and a variable listed twice', () => {
    const counter = tf.variable(tf.tensor1d([1, 2], 'int32'), false, 'counter');
    expect(() => serializeVariables([counter])).toThrow(/only float32/);
    const dense = createDense({ inputSize: 1, outputSize: 1, useBias: false, seed: 1 });
    expect(() => serializeVariables([dense.kernel, dense.kernel])).toThrow(/listed twice/);
  });
});
