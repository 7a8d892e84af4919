import type { MetricKey } from '@imecd/metrics';

export type MetricValues = Partial<Record<MetricKey, number>>;

/** One finished epoch, as kept in a run's history. */
export interface EpochRecord {
  epoch: number;
  /** Mean training loss of the epoch, each batch weighted by its lossWeight (NaN for models without a loss). */
  loss: number;
  valid: MetricValues;
  /** Wall time of the epoch: training steps plus the validation pass. */
  seconds: number;
  /** Wall time of the training steps alone (absent in records written before it was kept). */
  trainSeconds?: number;
}

/** Progress as data: the app decides how to draw it (bar on a terminal, lines in a log). */
export type TrainingEvent =
  | { type: 'epoch-start'; epoch: number; epochs: number; batches: number }
  | { type: 'batch-end'; epoch: number; batch: number; batches: number; loss: number }
  | { type: 'epoch-end'; record: EpochRecord; batches: number; improved: boolean; bestEpoch: number; bestScore: number }
  | { type: 'early-stop'; epoch: number; bestEpoch: number; patience: number }
  | { type: 'run-end'; bestEpoch: number; valid: MetricValues; test: MetricValues };
