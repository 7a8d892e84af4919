import { ImecdError } from '@imecd/core';

/**
 * A run folder that cannot be used as asked: its features changed since it started, its model
 * cannot split batches over the workers it records, or it has no checkpoint to read yet. The
 * message names the folder; the way out is usually a new run.
 */
export class RunMismatchError extends ImecdError {
  constructor(message: string) {
    super('RUN_MISMATCH', message);
  }
}

/** Seed processes failed; the seeds that finished are kept in the run folder. */
export class TrainingJobsError extends ImecdError {
  constructor(failures: string[], runDir: string) {
    super('TRAINING_JOBS', `${failures.join('; ')}. Finished seeds are kept; continue with --resume ${runDir}`);
  }
}

/**
 * A setting given as text (`key=value`, a grid, an override) that cannot be used: malformed, not a
 * setting of the trainer or the model, or outside its range. The message starts with `source` (e.g.
 * `--set`), so a command line can print it as it is.
 */
export class SettingsError extends ImecdError {
  constructor(message: string) {
    super('SETTINGS', message);
  }
}
