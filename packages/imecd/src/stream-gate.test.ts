import { expectGradientsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createImecd } from './create-imecd';
import type { ImecdOptions } from './imecd-options';
import { gateStreams } from './stream-gate';
import {
  expectModelLeaksNothing,
  SYNTHETIC_ITEMS,
  syntheticBatch,
  syntheticFeatures,
  TINY,
  useCpuBackend,
} from './synthetic.test-helper';

beforeAll(useCpuBackend);

const HISTORIES = Int32Array.from([0, 0, 1, 2, 3, 4, 5, 6, 0, 3, 9, 5]); // [3, 4]
const withFeatures = (options: Partial<ImecdOptions> = {}): ImecdOptions => ({
  numItems: SYNTHETIC_ITEMS,
  features: { text: syntheticFeatures('text', 5, 11, [3]), image: syntheticFeatures('image', 4, 12, [5]) },
  ...TINY,
  ...options,
});

/** Scores of HISTORIES after one training call (it fits the codebooks), with `edit` applied to the model first. */
function scoresOf(options: ImecdOptions, edit: (model: ReturnType<typeof createImecd>) => void = () => {}): number[] {
  const model = createImecd(options);
  try {
    model.loss(syntheticBatch(6, 4, 1), { seed: 1 }).dispose();
    edit(model);
    const scores = model.scoreAll(HISTORIES, 3, 4);
    const values = Array.from(scores.dataSync());
    scores.dispose();
    return values;
  } finally {
    model.dispose();
  }
}

const gateOf = (model: ReturnType<typeof createImecd>) =>
  model.variables.find((variable) => variable.name === 'imecd/stream_gate');

describe('gateStreams', () => {
  it('scales each stream by M·softmax of the ID columns: ones at G = 0, its gradients match finite differences', () => {
    const generated = tf.randomNormal([4, 3 * 2], 0, 1, 'float32', 7) as tf.Tensor2D; // [S, M·D], D = 2
    const zero = gateStreams(generated, tf.zeros([3, 3]), 2);
    expect(Array.from(zero.dataSync())).toEqual(Array.from(generated.dataSync()).map((value) => Math.fround(value)));
    // A bias toward the text stream (column 1): weights 3·softmax([0, ln 2, 0]) = [0.75, 1.5, 0.75].
    const bias = tf.tensor2d([0, 0, 0, 0, 0, 0, 0, Math.log(2), 0], [3, 3]);
    const biased = gateStreams(generated, bias, 2).arraySync();
    const plain = generated.arraySync();
    biased.forEach((row, r) => {
      row.forEach((value, column) => {
        expect(value).toBeCloseTo(plain[r]![column]! * [0.75, 1.5, 0.75][Math.floor(column / 2)]!, 5);
      });
    });
    const gate = tf.randomNormal([3, 3], 0, 0.5, 'float32', 8);
    expectGradientsClose((g, w) => gateStreams(g as tf.Tensor2D, w as tf.Tensor2D, 2), [generated, gate]);
    tf.dispose([generated, zero, bias, gate]);
  });
});

describe("IMECD's stream gate (streamGate 'id-state')", () => {
  it('starts as the plain sum, learns, and changes the scores once G moves', () => {
    const plain = scoresOf(withFeatures());
    const gatedAtStart = scoresOf(withFeatures({ streamGate: 'id-state' }));
    gatedAtStart.forEach((value, index) => {
      expect(value).toBeCloseTo(plain[index]!, 5);
    });
    const moved = scoresOf(withFeatures({ streamGate: 'id-state' }), (model) =>
      gateOf(model)!.assign(tf.randomNormal([TINY.hiddenSize! + 1, 3], 0, 1, 'float32', 3)),
    );
    expect(moved.some((value, index) => Math.abs(value - plain[index]!) > 1e-4)).toBe(true);

    const model = createImecd(withFeatures({ streamGate: 'id-state' }));
    try {
      expect(gateOf(model)?.shape).toEqual([TINY.hiddenSize! + 1, 3]);
      model.loss(syntheticBatch(8, 5, 1), { seed: 1 }).dispose();
      const { value, grads } = tf.variableGrads(
        () => model.loss(syntheticBatch(8, 5, 2), { seed: 2 }),
        [gateOf(model)!],
      );
      expect(tf.max(tf.abs(grads['imecd/stream_gate']!)).dataSync()[0]).toBeGreaterThan(0);
      tf.dispose([value, ...Object.values(grads)]);
    } finally {
      model.dispose();
    }
  });

  it('leaks no tensor in loss, gradients or scoreAll', async () => {
    const model = createImecd(withFeatures({ streamGate: 'id-state' }));
    try {
      await expectModelLeaksNothing(model, HISTORIES, 3, 4);
    } finally {
      model.dispose();
    }
  });

  it('has nothing to weigh with the ID stream alone, and refuses the first reading', () => {
    const idOnly = createImecd({ numItems: SYNTHETIC_ITEMS, ...TINY, streamGate: 'id-state' });
    expect(gateOf(idOnly)).toBeUndefined();
    idOnly.dispose();
    expect(() =>
      createImecd(withFeatures({ streamGate: 'id-state', generator: 'separate', scoreFusion: 'sum' })),
    ).toThrow(
      /streamGate: the stream gate weights the generative reading's streams \(generator 'approximator'\), got generator 'separate'/,
    );
  });
});
