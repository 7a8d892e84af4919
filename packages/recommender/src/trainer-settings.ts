import { defineSettings, type SettingsOf } from '@imecd/core';
import { BATCHING_STRATEGIES, DEFAULT_BATCHING } from './training-batches';

/**
 * The trainer's settings a run records and a command line may `--set`: the field's defaults
 * (RecBole SASRec: batch 256, Adam 1e-3, patience 10 on validation NDCG@10) with the unbiased
 * length-bucketed batching.
 */
export const TRAINER_SETTINGS = defineSettings({
  batchSize: { kind: 'integer', default: 256, min: 1, doc: 'rows per training batch' },
  learningRate: { kind: 'number', default: 1e-3, min: 0, exclusiveMin: true, doc: 'Adam learning rate' },
  patience: { kind: 'integer', default: 10, min: 1, doc: 'epochs without a better validation score before stopping' },
  epochs: { kind: 'integer', default: 200, min: 1, doc: 'most epochs' },
  batching: {
    kind: 'choice',
    default: DEFAULT_BATCHING,
    values: BATCHING_STRATEGIES,
    doc: 'how an epoch becomes batches and how each batch is weighted (BatchingStrategy)',
  },
  maxStepPositions: {
    kind: 'integer',
    default: 0,
    min: 0,
    doc: 'most padded positions per gradient computation; bigger batches are stepped as parts with summed gradients (0: no limit)',
  },
});

/** The trainer's settings with their types. */
export type TrainerSettings = SettingsOf<typeof TRAINER_SETTINGS.specs>;
