import { splitBatch } from '@imecd/recommender';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createImecdVariant } from './imecd-variants';
import { SYNTHETIC_ITEMS, syntheticBatch, syntheticFeatures, TINY, useCpuBackend } from './synthetic.test-helper';

beforeAll(useCpuBackend);

/**
 * The largest difference between the full batch's gradient and the parts' gradients weighted by
 * their share of the scored positions (what gradient shards recombine), dropout off.
 */
function splitGap(variant: string): number {
  const model = createImecdVariant(variant, {
    numItems: SYNTHETIC_ITEMS,
    features: { text: syntheticFeatures('text', 5, 1, [4]) },
    ...TINY,
    dropout: 0,
    attentionDropout: 0,
  });
  try {
    const batch = syntheticBatch(8, 6, 3);
    const gradients = (part: typeof batch) =>
      tf.variableGrads(() => model.loss(part, { seed: 11 }), [...model.variables]).grads;
    return tf.tidy(() => {
      const full = gradients(batch);
      const parts = splitBatch(batch, 2).map((part) => ({
        weight: part.scoredCount / batch.scoredCount,
        grads: gradients(part),
      }));
      let gap = 0;
      // Variables the loss never reaches (e.g. used only when sampling) have no gradient at all.
      for (const name of Object.keys(full).filter((key) => full[key] !== null)) {
        // A part that reaches no row of a variable's gradient gets null: zero.
        const of = (grads: tf.NamedTensorMap) => grads[name] ?? tf.zerosLike(full[name]!);
        const combined = tf.addN(parts.map((part) => tf.mul(of(part.grads), part.weight)));
        gap = Math.max(gap, tf.max(tf.abs(tf.sub(combined, full[name]!))).dataSync()[0]!);
      }
      return gap;
    });
  } finally {
    model.dispose();
  }
}

describe('splitting a batch over gradient shards (synthetic data)', () => {
  it('recombines mm-fusion exactly: its loss is a mean over positions plus an item-side term', () => {
    const model = createImecdVariant('mm-fusion', { numItems: SYNTHETIC_ITEMS, ...TINY });
    expect(model.splittableLoss).toBe(true);
    model.dispose();
    expect(splitGap('mm-fusion')).toBeLessThan(1e-6);
  });

  it('does not recombine a variant with per-window or in-batch terms, which say so', () => {
    for (const variant of ['imecd', 'imecd-no-contrastive']) {
      const model = createImecdVariant(variant, { numItems: SYNTHETIC_ITEMS, ...TINY });
      expect(model.splittableLoss ?? false).toBe(false);
      model.dispose();
      expect(splitGap(variant)).toBeGreaterThan(1e-4);
    }
  });
});
