import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectVariables } from './collect-variables';
import { createDense } from './dense';
import { createLayerNorm } from './layer-norm';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  tf.disposeVariables();
});

describe('collectVariables', () => {
  it('joins modules and variable lists in order, listing a shared module once', () => {
    const projection = createDense({ inputSize: 2, outputSize: 2, name: 'projection', seed: 1 });
    const norm = createLayerNorm({ size: 2, name: 'norm' });
    const extra = tf.variable(tf.zeros([1]), true, 'extra');
    const names = collectVariables(projection, norm, [extra], projection).map((variable) => variable.name);
    expect(names).toEqual(['projection/kernel', 'projection/bias', 'norm/gamma', 'norm/beta', 'extra']);
  });

  it('refuses two different variables with one name', () => {
    const first = createLayerNorm({ size: 2, name: 'twin' });
    const stale = first.variables;
    first.dispose();
    const second = createLayerNorm({ size: 2, name: 'twin' });
    expect(() => collectVariables(stale, second)).toThrow(/two different variables are named "twin\/gamma"/);
  });
});
