import { InvalidArgumentError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { createNoiseSchedule, NOISE_SCHEDULE_KINDS } from './create-noise-schedule';

describe('createNoiseSchedule', () => {
  it("defaults to DiffuRec's truncated linear schedule with T = 32: β from 0.013125 to 0.635", () => {
    const schedule = createNoiseSchedule();
    expect(schedule.numSteps).toBe(32);
    expect(schedule.betas[0]).toBeCloseTo(0.013125, 12);
    expect(schedule.betas[31]).toBeCloseTo(0.635, 12);
    expect(schedule.betas[1]! - schedule.betas[0]!).toBeCloseTo((0.635 - 0.013125) / 31, 12);
  });

  it('falls back to 1e-3·s + 0.01 when the truncated linear end would exceed 1 (T = 10: s = 100)', () => {
    const schedule = createNoiseSchedule({ kind: 'truncated-linear', numSteps: 10 });
    expect(schedule.betas[0]).toBeCloseTo(0.02, 12);
    expect(schedule.betas[9]).toBeCloseTo(0.11, 12);
  });

  it('scales the linear endpoints by 1000 / T and takes explicit ones', () => {
    const ddpm = createNoiseSchedule({ kind: 'linear', numSteps: 1000 });
    expect(ddpm.betas[0]).toBeCloseTo(1e-4, 12);
    expect(ddpm.betas[999]).toBeCloseTo(0.02, 12);
    const short = createNoiseSchedule({ kind: 'linear', numSteps: 50 });
    expect(short.betas[0]).toBeCloseTo(0.002, 12);
    expect(short.betas[49]).toBeCloseTo(0.4, 12);
    const explicit = createNoiseSchedule({ kind: 'linear', numSteps: 3, betaStart: 0.1, betaEnd: 0.3 });
    expect(explicit.betas.map((beta) => Number(beta.toFixed(12)))).toEqual([0.1, 0.2, 0.3]);
  });

  it('discretises the cosine and sqrt ᾱ curves, hand-computed for T = 4, capping the last β at 0.999', () => {
    const cosine = createNoiseSchedule({ kind: 'cosine', numSteps: 4 });
    [0.1529878387, 0.4169580875, 0.7078587124, 0.999].forEach((beta, step) => {
      expect(cosine.betas[step]).toBeCloseTo(beta, 9);
    });
    const sqrt = createNoiseSchedule({ kind: 'sqrt', numSteps: 4 });
    [0.495050495, 0.4142378359, 0.5426688257, 0.999].forEach((beta, step) => {
      expect(sqrt.betas[step]).toBeCloseTo(beta, 9);
    });
  });

  it('gives every kind a strictly decreasing ᾱ that ends close to pure noise at T = 32', () => {
    for (const kind of NOISE_SCHEDULE_KINDS) {
      const { cumulativeAlphas } = createNoiseSchedule({ kind, numSteps: 32 });
      cumulativeAlphas.slice(1).forEach((value, step) => {
        expect(value).toBeLessThan(cumulativeAlphas[step]!);
      });
      expect(cumulativeAlphas[31]).toBeLessThan(0.01);
    }
  });

  it('rejects unknown kinds, bad step counts, linear endpoints outside (0, 1) and endpoints for other kinds', () => {
    expect(() => createNoiseSchedule({ kind: 'exp' as never })).toThrow(InvalidArgumentError);
    expect(() => createNoiseSchedule({ numSteps: 0 })).toThrow(/numSteps/);
    expect(() => createNoiseSchedule({ numSteps: 2.5 })).toThrow(/numSteps/);
    // Default end 0.02 · 1000 / 10 = 2.
    expect(() => createNoiseSchedule({ kind: 'linear', numSteps: 10 })).toThrow(/betaEnd/);
    expect(() => createNoiseSchedule({ kind: 'linear', betaStart: 0 })).toThrow(/betaStart/);
    expect(() => createNoiseSchedule({ kind: 'cosine', betaEnd: 0.02 })).toThrow(/only the 'linear' schedule takes it/);
  });
});
