import { expectNoLeakedTensors } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSasrec } from './sasrec';
import { syntheticWalks, useCpuBackend } from './test-backend.test-helper';
import { makeTrainingBatches, makeTrainingWindows } from './training-batches';

beforeAll(useCpuBackend);

describe('createSasrec', () => {
  const numItems = 30;
  const sequences = syntheticWalks(20, numItems, 8);
  const batch = makeTrainingBatches(makeTrainingWindows(sequences, 10), { batchSize: 20, seed: 1 })[0]!;

  const tiny = { numItems, hiddenSize: 8, numHeads: 2, innerSize: 16, maxLength: 10, seed: 3 };

  it('scores every item for each history row', () => {
    const model = createSasrec({ ...tiny, name: 'shape' });
    const histories = Int32Array.from([0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const scores = model.scoreAll(histories, 2, 5);
    expect(scores.shape).toEqual([2, numItems + 1]);
    scores.dispose();
    model.dispose();
  });

  it('leaves no tensor behind once built and disposed (the item table’s initial values included)', async () => {
    await expectNoLeakedTensors(() => {
      createSasrec({ ...tiny, name: 'built' }).dispose();
    });
  });

  it('ignores what sits in padded positions', () => {
    const model = createSasrec({ numItems, hiddenSize: 8, innerSize: 16, maxLength: 10, seed: 3, name: 'pad' });
    const short = model.scoreAll(Int32Array.from([4, 5]), 1, 2);
    const padded = model.scoreAll(Int32Array.from([0, 0, 0, 4, 5]), 1, 5);
    const a = short.dataSync();
    const b = padded.dataSync();
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 4);
    tf.dispose([short, padded]);
    model.dispose();
  });

  it('gives the same loss for the same seeds and learns the synthetic rule', () => {
    const model = createSasrec({
      numItems,
      hiddenSize: 16,
      innerSize: 32,
      maxLength: 10,
      dropout: 0.1,
      attentionDropout: 0.1,
      seed: 1,
      name: 'learn',
    });
    const first = model.loss(batch, { seed: 7 }).dataSync()[0]!;
    const again = model.loss(batch, { seed: 7 }).dataSync()[0]!;
    expect(again).toBeCloseTo(first, 6);
    expect(first).toBeCloseTo(Math.log(numItems), 0); // near uniform at start
    const optimizer = tf.train.adam(0.01);
    for (let step = 0; step < 60; step++)
      optimizer.minimize(() => model.loss(batch, { seed: step }), false, [...model.variables]);
    const after = model.loss(batch, { seed: 99 }).dataSync()[0]!;
    expect(after).toBeLessThan(first * 0.5);
    optimizer.dispose();
    model.dispose();
  });

  it('does not leak tensors in loss or scoring', async () => {
    const model = createSasrec({ numItems, hiddenSize: 8, innerSize: 16, maxLength: 10, seed: 2, name: 'leak' });
    await expectNoLeakedTensors(() => {
      model.loss(batch, { seed: 1 }).dispose();
      model.scoreAll(batch.inputs, batch.size, batch.length).dispose();
    });
    model.dispose();
  });

  it('trains with sampled softmax: seeded per step, learns the rule, and still scores every item', () => {
    const model = createSasrec({
      numItems,
      hiddenSize: 16,
      innerSize: 32,
      maxLength: 10,
      dropout: 0,
      attentionDropout: 0,
      seed: 1,
      name: 'sampled',
      negativeSamples: 8,
    });
    expect(model.config).toMatchObject({ negativeSamples: 8 });
    const first = model.loss(batch, { seed: 7 }).dataSync()[0]!;
    expect(model.loss(batch, { seed: 7 }).dataSync()[0]).toBeCloseTo(first, 6); // same step, same negatives
    expect(model.loss(batch, { seed: 8 }).dataSync()[0]).not.toBeCloseTo(first, 4); // another step, other negatives
    expect(first).toBeCloseTo(Math.log(9), 0); // the target against 8 negatives, near uniform at start
    const optimizer = tf.train.adam(0.01);
    for (let step = 0; step < 60; step++)
      optimizer.minimize(() => model.loss(batch, { seed: step }), false, [...model.variables]);
    optimizer.dispose();
    const fullLoss = createSasrec({
      numItems,
      hiddenSize: 16,
      innerSize: 32,
      maxLength: 10,
      seed: 1,
      name: 'full-reference',
    });
    fullLoss.variables.forEach((variable, index) => {
      variable.assign(model.variables[index]!);
    });
    expect(fullLoss.loss(batch, { seed: 1 }).dataSync()[0]).toBeLessThan(Math.log(numItems) * 0.5); // learned against all items too
    expect(model.scoreAll(batch.inputs, batch.size, batch.length).shape).toEqual([batch.size, numItems + 1]);
    fullLoss.dispose();
    model.dispose();
    expect(() => createSasrec({ numItems, negativeSamples: -1 })).toThrow(/negativeSamples/);
  });

  it('rejects a bad item count', () => {
    expect(() => createSasrec({ numItems: 0 })).toThrow(/numItems/);
  });
});
