import type { EvaluateRunEvent } from './evaluate-run';
import type { ReplicateEvent } from './replicate';
import type { TrainRunsEvent } from './train-events';
import type { TuneEvent } from './tune';

/** Every event the experiment functions report. */
export type ExperimentEvent = TrainRunsEvent | TuneEvent | ReplicateEvent | EvaluateRunEvent;

/** One state of an epoch's progress bar. */
export interface BatchProgressState {
  label: string;
  done: number;
  total: number;
  detail: string;
}

/** Where a logger draws an epoch's batches: a redrawn terminal bar, or a line now and then in a log. */
export interface BatchProgress {
  update(state: BatchProgressState): void;
  /** The epoch's last state; ends the bar. */
  finish(state: BatchProgressState): void;
}

export interface ProgressLoggerOptions {
  /** Where the text goes, line by line, each with its line break (e.g. `process.stderr.write`). */
  write: (text: string) => void;
  /** A new bar for each epoch's batches. Default: none (batches and the epoch's bar line are not shown). */
  progressBar?: () => BatchProgress;
  /** Name the run when its folder is ready; false in a seed process, whose parent did. Default true. */
  header?: boolean;
}

/**
 * An onEvent for trainRuns, tune, replicate and evaluateRun that writes what happens as lines of
 * text, as `pnpm reproduce` shows it on stderr (like the verbose logging of tfjs-layers' fit): the
 * run and its backend, what is reused or resumed, each epoch's bar and validation, early stops.
 */
export function createProgressLogger(options: ProgressLoggerOptions): (event: ExperimentEvent) => void {
  const { write, header = true } = options;
  let bar: BatchProgress | undefined;
  const line = (text: string) => write(`${text}\n`);
  return (event) => {
    switch (event.type) {
      case 'model-start':
        return line(`[${event.index + 1}/${event.total}] ${event.model}`);
      case 'combination-start': {
        const settings = Object.entries(event.combination).map(([key, value]) => `${key}=${value}`);
        return line(`[${event.index + 1}/${event.total}] ${event.model} ${settings.join(' ')}`);
      }
      case 'combination-end':
        return line(`  valid ndcg@10 ${event.valid['ndcg@10'].toFixed(4)}`);
      case 'seed-skipped':
        return line(`seed ${event.seed}: no checkpoint yet, skipped`);
      case 'backend-changed':
        return line(
          `warning: this run started on ${event.recorded} and resumes on ${event.current}; results can differ slightly`,
        );
      case 'run-reused':
        return line(`reusing ${event.runDir} (same model, dataset, seeds, settings and backend)`);
      case 'run-ready': {
        const { model, dataset } = event.config;
        const size = `${event.users} users, ${event.items} items`;
        if (header) line(`${model} on ${dataset} (${size}) · backend ${event.backend} · run ${event.runDir}`);
        return;
      }
      case 'seed-process-output': {
        // A child's own lines mostly start with "seed N" already; only the others get the tag.
        const { seed, line: text } = event;
        return line(
          text.startsWith(`seed ${seed} `) || text.startsWith(`seed ${seed}:`) ? text : `[seed ${seed}] ${text}`,
        );
      }
      case 'seed-reused':
        return line(
          event.trainedBy === 'seed-process'
            ? `seed ${event.seed}: trained by its worker process (${event.file})`
            : `seed ${event.seed}: finished in an earlier run of ${event.runDir}; its metrics are reused`,
        );
      case 'seed-resumed': {
        const part = event.partialEpoch;
        const where = part
          ? `in epoch ${part.epoch} after batch ${part.batchesDone}`
          : `after epoch ${event.epochsDone}`;
        return line(`seed ${event.seed}: resuming ${where}`);
      }
      case 'training': {
        const { seed, event: step } = event;
        if (step.type === 'epoch-start') bar = options.progressBar?.();
        else if (step.type === 'batch-end') {
          const detail = `loss ${step.loss.toFixed(4)}`;
          bar?.update({ label: `seed ${seed} epoch ${step.epoch}`, done: step.batch, total: step.batches, detail });
        } else if (step.type === 'epoch-end') {
          const { record, batches } = step;
          const detail = `loss ${record.loss.toFixed(4)}`;
          bar?.finish({ label: `seed ${seed} epoch ${record.epoch}`, done: batches, total: batches, detail });
          const ndcg = (record.valid['ndcg@10'] ?? 0).toFixed(4);
          const hr = (record.valid['hr@10'] ?? 0).toFixed(4);
          const best = step.improved ? ' (best)' : ` (best: epoch ${step.bestEpoch})`;
          line(`  valid ndcg@10 ${ndcg} hr@10 ${hr}${best} · ${record.seconds.toFixed(1)}s`);
        } else if (step.type === 'early-stop')
          line(
            `  early stop: no better validation NDCG@10 for ${step.patience} epochs; keeping epoch ${step.bestEpoch}`,
          );
        return;
      }
      case 'seed-finished':
        return;
    }
  };
}
