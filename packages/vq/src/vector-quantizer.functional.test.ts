import { selectBackend } from '@imecd/backend';
import { createRng } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QuantizerStatistics } from './quantize-levels';
import { syntheticMixture } from './synthetic.test-helper';
import { createVectorQuantizer } from './vector-quantizer';
import type { VectorQuantizerOptions } from './vector-quantizer-options';

// Functional test on a synthetic mixture of 4 well-separated Gaussians in 8-D (σ = 0.1, centres
// ±2 per axis) shifted by +20 on every axis, as un-centred features often are. With uniform
// initial codes near the origin the code with the largest sum wins every vector at first: the
// classic collapse that dead-code restart exists to undo.
const MIXTURE = syntheticMixture({ count: 4, dimension: 8, separation: 2, spread: 0.1, offset: 20, seed: 7 });
const STEPS = 120;
const BATCH = 64;

beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});
afterEach(() => {
  tf.disposeVariables();
});

interface TrainingResult {
  /** The last training call's statistics. */
  statistics: QuantizerStatistics;
  /** Codes restarted over the whole run. */
  restarts: number;
  /** The final codebook. */
  codes: number[][];
}

/** Trains a fresh quantizer (EMA by default, or `optimizer` on a gradient codebook) on fresh batches. */
function train(options: Partial<VectorQuantizerOptions>, optimizer?: tf.Optimizer): TrainingResult {
  const quantizer = createVectorQuantizer({
    inputSize: 8,
    codebookSize: 8,
    codebookUpdate: 'ema',
    emaDecay: 0.8,
    initialization: 'uniform',
    seed: 3,
    ...options,
  });
  const rng = createRng(11);
  let statistics: QuantizerStatistics | undefined;
  let restarts = 0;
  for (let step = 0; step < STEPS; step++) {
    tf.tidy(() => {
      const batch = MIXTURE.sample(BATCH, rng);
      const call = () => {
        const output = quantizer.apply(batch, { training: true });
        statistics = output.statistics;
        restarts += output.statistics.restartedCodes;
        return output.loss;
      };
      if (optimizer === undefined) call();
      else optimizer.minimize(call);
    });
  }
  const codes = quantizer.codebooks[0]!.arraySync() as number[][];
  quantizer.dispose();
  return { statistics: statistics!, restarts, codes };
}

/** For each centre, the distance to its nearest code. */
function centreDistances(codes: number[][]): number[] {
  return MIXTURE.centres.map((centre) =>
    Math.min(...codes.map((code) => Math.hypot(...code.map((value, axis) => value - centre[axis]!)))),
  );
}

describe('vector quantization on a synthetic Gaussian mixture', () => {
  it('collapses onto one code without dead-code restart', () => {
    const { statistics, restarts, codes } = train({ deadCodeSteps: 0 });
    expect(restarts).toBe(0);
    expect(statistics.usage).toBeLessThanOrEqual(0.25);
    expect(statistics.perplexity).toBeLessThan(1.5);
    expect(statistics.meanError).toBeGreaterThan(10); // one code for four clusters 4–6 apart
    expect(Math.min(...centreDistances(codes))).toBeGreaterThan(1); // and it sits on none of them
  });

  it('keeps usage high and recovers every centre with dead-code restart (EMA updates)', () => {
    const { statistics, restarts, codes } = train({ deadCodeSteps: 5 });
    const distances = centreDistances(codes);
    expect(restarts).toBeGreaterThan(0);
    expect(statistics.usage).toBeGreaterThanOrEqual(0.75);
    expect(statistics.perplexity).toBeGreaterThan(3.5);
    expect(statistics.meanError).toBeLessThan(0.12); // the noise floor is σ²·d = 0.08
    for (const distance of distances) expect(distance).toBeLessThan(0.3);
  });

  it('does the same with gradient updates by Adam', () => {
    const { statistics, codes } = train({ codebookUpdate: 'gradient', deadCodeSteps: 5 }, tf.train.adam(0.05));
    const distances = centreDistances(codes);
    expect(statistics.usage).toBeGreaterThanOrEqual(0.75);
    for (const distance of distances) expect(distance).toBeLessThan(0.3);
  });

  it('puts one code on each centre from k-means initialisation on the first batch', () => {
    const { codes, statistics } = train({ codebookSize: 4, initialization: 'kmeans' });
    const distances = centreDistances(codes);
    for (const distance of distances) expect(distance).toBeLessThan(0.1);
    expect(statistics.usage).toBe(1);
  });
});
