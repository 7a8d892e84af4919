import { createRng } from '@imecd/core';
import { expectNoLeakedTensors } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from './create-model';
import { createSasrec, drawOutsideRows } from './sasrec';
import { syntheticWalks, useCpuBackend } from './test-backend.test-helper';
import { makeTrainingBatches, makeTrainingWindows } from './training-batches';

beforeAll(useCpuBackend);

describe('createSasrec', () => {
  const numItems = 30;
  const sequences = syntheticWalks(20, numItems, 8);
  const batch = makeTrainingBatches(makeTrainingWindows(sequences, 10), { batchSize: 20, seed: 1 })[0]!;

  const tiny = { numItems, hiddenSize: 8, numHeads: 2, innerSize: 16, maxLength: 10, seed: 3 };
  /** Wide enough to learn the synthetic rule in tens of steps; no dropout, so a loss depends on its seed only through its draws. */
  const learner = { numItems, hiddenSize: 16, innerSize: 32, maxLength: 10, dropout: 0, attentionDropout: 0, seed: 1 };

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
    const model = createSasrec({ ...learner, name: 'sampled', negativeSamples: 8 });
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

  it("trains the original's one-negative BCE: seeded per step, learns the rule, and is recorded in the config", () => {
    const model = createSasrec({ ...learner, name: 'bce', lossType: 'bce' });
    expect(model.config).toMatchObject({ lossType: 'bce' });
    const crossEntropy = createSasrec({ ...learner, name: 'ce-config' });
    expect(crossEntropy.config).not.toHaveProperty('lossType'); // the default is not written: older runs still match
    crossEntropy.dispose();
    const first = model.loss(batch, { seed: 7 }).dataSync()[0]!;
    expect(model.loss(batch, { seed: 7 }).dataSync()[0]).toBeCloseTo(first, 6); // same step, same negatives
    expect(model.loss(batch, { seed: 8 }).dataSync()[0]).not.toBeCloseTo(first, 4); // another step, other negatives
    expect(first).toBeCloseTo(2 * Math.log(2), 1); // scores near 0 at start: −log σ(0) twice
    const optimizer = tf.train.adam(0.01);
    for (let step = 0; step < 80; step++)
      optimizer.minimize(() => model.loss(batch, { seed: step }), false, [...model.variables]);
    optimizer.dispose();
    // Learned as a ranking, not only as two-item contrasts: each history's next item tops most of the catalogue.
    const scores = model.scoreAll(batch.inputs, batch.size, batch.length);
    const rows = scores.arraySync();
    let scored = 0;
    let aboveMedian = 0;
    rows.forEach((row, r) => {
      const target = batch.targets[r * batch.length + batch.length - 1]!;
      if (target === 0) return;
      scored++;
      const beaten = row.slice(1).filter((score) => score < row[target]!).length;
      if (beaten > numItems / 2) aboveMedian++;
    });
    expect(aboveMedian / scored).toBeGreaterThan(0.8);
    scores.dispose();
    model.dispose();
    // The factory's 'sasrec-bce' is this model; its loss is its name, not a setting.
    const named = createModel('sasrec-bce', { numItems, hyperparameters: { hiddenSize: 8, innerSize: 16 } });
    expect(named.config).toMatchObject({ lossType: 'bce', hiddenSize: 8 });
    named.dispose();
    expect(() => createModel('sasrec-bce', { numItems, hyperparameters: { lossType: 'ce' } })).toThrow(/lossType/);
    expect(() => createSasrec({ numItems, lossType: 'bce', negativeSamples: 4 })).toThrow(/negativeSamples/);
    expect(() => createSasrec({ numItems: 1, lossType: 'bce' })).toThrow(/numItems/);
    expect(() => createSasrec({ numItems, lossType: 'hinge' as 'bce' })).toThrow(/lossType/);
  });

  it("draws BCE negatives from outside each row's items, and any non-target item when a row holds them all", () => {
    // Two rows of length 4 over 6 items: row 0 holds items 1-4, row 1 holds every item.
    const twoRows = {
      size: 2,
      length: 4,
      inputs: Int32Array.from([0, 1, 2, 3, 1, 2, 3, 4]),
      targets: Int32Array.from([0, 2, 3, 4, 2, 3, 4, 5]),
      scoredCount: 7,
    };
    const draws = createRng(5);
    for (let trial = 0; trial < 50; trial++) {
      const negatives = drawOutsideRows(twoRows, [1, 2, 3, 4, 7], 6, draws);
      for (const id of negatives.subarray(0, 3)) expect([5, 6]).toContain(id);
      expect(negatives[3]).not.toBe(twoRows.targets[4]); // row 1 without item 6 is not full …
      expect(negatives[3]).toBe(6); // … so its one outside item is drawn
    }
    const full = { ...twoRows, targets: Int32Array.from([0, 2, 3, 4, 2, 3, 6, 5]) }; // row 1 now holds 1..6
    const seen = new Set<number>();
    for (let trial = 0; trial < 200; trial++) {
      const [negative] = drawOutsideRows(full, [6], 6, draws); // target 6
      expect(negative).not.toBe(6);
      seen.add(negative!);
    }
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects a bad item count', () => {
    expect(() => createSasrec({ numItems: 0 })).toThrow(/numItems/);
  });
});
