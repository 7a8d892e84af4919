import { InvalidArgumentError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { noiseScheduleFromBetas } from './noise-schedule-from-betas';

describe('noiseScheduleFromBetas', () => {
  it('precomputes α, ᾱ and the posterior coefficients, hand-computed for β = [0.1, 0.2]', () => {
    const schedule = noiseScheduleFromBetas([0.1, 0.2]);
    expect(schedule.numSteps).toBe(2);
    expect(schedule.alphas[0]).toBeCloseTo(0.9, 12);
    expect(schedule.alphas[1]).toBeCloseTo(0.8, 12);
    expect(schedule.cumulativeAlphas[0]).toBeCloseTo(0.9, 12);
    expect(schedule.cumulativeAlphas[1]).toBeCloseTo(0.72, 12);
    expect(schedule.previousCumulativeAlphas).toEqual([1, 0.9]);
    // β̃_1 = 0.2 · 0.1 / 0.28; c1_1 = 0.2 · √0.9 / 0.28; c2_1 = 0.1 · √0.8 / 0.28.
    expect(schedule.posteriorVariances[0]).toBe(0);
    expect(schedule.posteriorVariances[1]).toBeCloseTo(0.0714285714, 9);
    expect(schedule.posteriorTargetCoefficients[0]).toBeCloseTo(1, 12);
    expect(schedule.posteriorTargetCoefficients[1]).toBeCloseTo(0.6776309272, 9);
    expect(schedule.posteriorNoisyCoefficients[0]).toBe(0);
    expect(schedule.posteriorNoisyCoefficients[1]).toBeCloseTo(0.3194382825, 9);
  });

  it('returns frozen arrays that do not alias the input', () => {
    const betas = [0.1, 0.2];
    const schedule = noiseScheduleFromBetas(betas);
    betas[0] = 0.5;
    expect(schedule.betas[0]).toBe(0.1);
    expect(Object.isFrozen(schedule.betas)).toBe(true);
    expect(Object.isFrozen(schedule.posteriorVariances)).toBe(true);
    expect(Object.isFrozen(schedule)).toBe(true);
  });

  it('accepts typed arrays', () => {
    expect(noiseScheduleFromBetas(new Float64Array([0.5])).cumulativeAlphas).toEqual([0.5]);
  });

  it('rejects no steps, β outside (0, 1) and an ᾱ that underflows to 0', () => {
    expect(() => noiseScheduleFromBetas([])).toThrow(InvalidArgumentError);
    expect(() => noiseScheduleFromBetas([0.1, 0])).toThrow(/step 1 must lie in \(0, 1\), got 0/);
    expect(() => noiseScheduleFromBetas([1])).toThrow(/betas/);
    expect(() => noiseScheduleFromBetas([Number.NaN])).toThrow(/NaN/);
    // 0.001^k falls below the smallest float64 after about 108 steps.
    expect(() => noiseScheduleFromBetas(new Array<number>(120).fill(0.999))).toThrow(
      /ᾱ must decrease strictly and stay positive/,
    );
  });
});
