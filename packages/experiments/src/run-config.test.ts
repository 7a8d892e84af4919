import { TRAINER_SETTINGS } from '@imecd/recommender';
import { describe, expect, it } from 'vitest';
import { recordedTrainSettings } from './run-config';

describe('recordedTrainSettings', () => {
  const defaults = TRAINER_SETTINGS.defaults;

  it('reads a run config made before batching was recorded as the length-bucketed batching it ran with', () => {
    const { batching: _absent, ...older } = defaults;
    expect(recordedTrainSettings(older)).toEqual({ ...defaults, batching: 'length-bucketed' });
    expect(recordedTrainSettings(defaults)).toEqual(defaults);
  });

  it('reads a run config made before maxStepPositions existed as a run without a cap', () => {
    const { maxStepPositions: _absent, ...older } = defaults;
    expect(recordedTrainSettings(older).maxStepPositions).toBe(0);
  });
});
