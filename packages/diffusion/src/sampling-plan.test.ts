import { InvalidArgumentError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { noiseScheduleFromBetas } from './noise-schedule-from-betas';
import { samplingPlan } from './sampling-plan';

const schedule = noiseScheduleFromBetas([0.1, 0.2, 0.3, 0.4, 0.5]);

describe('samplingPlan', () => {
  it('visits every step for DDPM and S evenly spread steps for DDIM, descending', () => {
    expect(samplingPlan(schedule, {})).toEqual({ sampler: 'ddpm', steps: [4, 3, 2, 1, 0], eta: 0 });
    expect(samplingPlan(schedule, { sampler: 'ddim' })).toEqual({ sampler: 'ddim', steps: [4, 3, 2, 1, 0], eta: 0 });
    expect(samplingPlan(schedule, { sampler: 'ddim', samplingSteps: 3, eta: 0.5 })).toEqual({
      sampler: 'ddim',
      steps: [4, 2, 0],
      eta: 0.5,
    });
  });

  it('rejects unknown samplers, DDIM options given to DDPM, and bad DDIM options', () => {
    expect(() => samplingPlan(schedule, { sampler: 'euler' as never })).toThrow(InvalidArgumentError);
    expect(() => samplingPlan(schedule, { eta: 1 })).toThrow(/eta.*only the 'ddim' sampler/);
    expect(() => samplingPlan(schedule, { sampler: 'ddim', samplingSteps: 6 })).toThrow(/samplingSteps/);
    expect(() => samplingPlan(schedule, { sampler: 'ddim', eta: Number.NaN })).toThrow(/eta/);
  });
});
