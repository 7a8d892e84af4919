import { InvalidArgumentError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createImecdVariant, IMECD_VARIANT_NAMES, IMECD_VARIANTS, unusedOptions } from './imecd-variants';
import { SYNTHETIC_ITEMS, syntheticBatch, syntheticFeatures, TINY, useCpuBackend } from './synthetic.test-helper';

beforeAll(useCpuBackend);

const options = () => ({ numItems: SYNTHETIC_ITEMS, features: { text: syntheticFeatures('text', 5, 1) }, ...TINY });

/** The variable names of a variant, without its scope. */
function variableNames(variant: string): string[] {
  const model = createImecdVariant(variant, options());
  try {
    expect(model.name).toBe(variant);
    return model.variables.map((variable) => variable.name.slice(variant.length + 1));
  } finally {
    model.dispose();
  }
}

describe('IMECD_VARIANTS', () => {
  it('lists the full model, five ablations and the fusion baseline', () => {
    expect(IMECD_VARIANT_NAMES).toEqual([
      'imecd',
      'imecd-no-moe',
      'imecd-self-gate',
      'imecd-no-vq',
      'imecd-no-cdg',
      'imecd-no-contrastive',
      'mm-fusion',
    ]);
    expect(IMECD_VARIANTS['mm-fusion']).toEqual({ moe: 'self-gated', vq: false, diffusion: false, contrastive: false });
  });

  it('each switch changes which variables exist', () => {
    const full = variableNames('imecd');
    const has = (names: string[], prefix: string) => names.some((name) => name.startsWith(prefix));
    // The generative reading (default): the generator's time network, no fusion weights (the score is Σ_m x̂_0,m · r_m).
    expect(['text/moe/', 'vq/', 'generator/', 'encoder_text/'].every((prefix) => has(full, prefix))).toBe(true);
    expect(has(full, 'fusion_logits') || has(full, 'diffusion/')).toBe(false);

    const noMoe = variableNames('imecd-no-moe');
    expect(has(noMoe, 'text/moe/')).toBe(false);
    expect(noMoe).toContain('text/projection/kernel');

    // The ID-guided gate reads the 8-wide ID embedding; the self gate reads the 5-wide text features.
    const gateRows = (variant: string) => {
      const model = createImecdVariant(variant, options());
      const rows = model.variables.find((variable) => variable.name === `${variant}/text/moe/gate/kernel`)!.shape[0];
      model.dispose();
      return rows;
    };
    expect(gateRows('imecd')).toBe(TINY.hiddenSize);
    expect(gateRows('imecd-self-gate')).toBe(5);

    expect(has(variableNames('imecd-no-vq'), 'vq/')).toBe(false);
    expect(has(variableNames('imecd-no-cdg'), 'generator/')).toBe(false);
    const fusion = variableNames('mm-fusion');
    expect(has(fusion, 'vq/') || has(fusion, 'generator/')).toBe(false);
    expect(fusion).toEqual(variableNames('imecd-no-cdg').filter((name) => !name.startsWith('vq/')));
  });

  it('the contrastive switch keeps the variables and changes the loss', () => {
    const lossOf = (variant: string) => {
      const model = createImecdVariant(variant, options());
      try {
        const loss = model.loss(syntheticBatch(6, 4, 1), { seed: 5 });
        const value = loss.dataSync()[0]!;
        loss.dispose();
        return { value, names: model.variables.map((variable) => variable.name.slice(variant.length + 1)) };
      } finally {
        model.dispose();
      }
    };
    const full = lossOf('imecd');
    const ablated = lossOf('imecd-no-contrastive');
    expect(ablated.names).toEqual(full.names);
    expect(Math.abs(full.value - ablated.value)).toBeGreaterThan(1e-4);
  });

  it('unusedOptions: the contrastive weight and temperature change nothing where the term is off, and the loss where it is on', () => {
    const lossAndScores = (variant: string, extra: Record<string, number>) => {
      const model = createImecdVariant(variant, { ...options(), ...extra });
      try {
        const loss = model.loss(syntheticBatch(6, 4, 1), { seed: 5 });
        const scores = model.scoreAll(Int32Array.from([0, 1, 2, 3]), 2, 2);
        const values = [loss.dataSync()[0]!, ...scores.dataSync()];
        tf.dispose([loss, scores]);
        return values;
      } finally {
        model.dispose();
      }
    };
    const changed = { lambdaContrastive: 0.7, contrastiveTemperature: 0.9 };
    for (const variant of IMECD_VARIANT_NAMES) {
      const same = lossAndScores(variant, {});
      const other = lossAndScores(variant, changed);
      if (IMECD_VARIANTS[variant].contrastive) {
        expect(unusedOptions(variant), variant).toEqual([]);
        expect(other[0], variant).not.toBeCloseTo(same[0]!, 4); // the weight and temperature are read
      } else {
        expect(unusedOptions(variant), variant).toEqual(['lambdaContrastive', 'contrastiveTemperature']);
        expect(other, variant).toEqual(same);
      }
    }
  });

  it('every variant trains one step and scores [B, N + 1]', () => {
    for (const variant of IMECD_VARIANT_NAMES) {
      const model = createImecdVariant(variant, options());
      try {
        const loss = model.loss(syntheticBatch(6, 4, 2), { seed: 1 });
        expect(Number.isFinite(loss.dataSync()[0]), variant).toBe(true);
        const scores = model.scoreAll(Int32Array.from([0, 1, 2, 3]), 2, 2);
        expect(scores.shape).toEqual([2, SYNTHETIC_ITEMS + 1]);
        tf.dispose([loss, scores]);
      } finally {
        model.dispose();
      }
    }
  });

  it('refuses an unknown variant, listing the known ones', () => {
    expect(() => createImecdVariant('imecd-no-everything', options())).toThrow(InvalidArgumentError);
    expect(() => createImecdVariant('imecd-no-everything', options())).toThrow(/mm-fusion/);
  });
});
