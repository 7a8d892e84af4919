import type { PartialEpoch, TrainingEvent } from '@imecd/recommender';
import type { RunConfig, SeedMetrics } from './run-config';

/**
 * What trainRuns reports while it works, in order; a caller renders them (a CLI as progress on
 * stderr) or ignores them. Nothing is printed by the library itself.
 */
export type TrainRunsEvent =
  /** A resumed run was trained on another backend than the one now selected: results can differ slightly. */
  | { type: 'backend-changed'; runDir: string; recorded: string; current: string }
  /** `reuse` found a run folder of the same experiment; it is continued (or only read) instead of a new one. */
  | { type: 'run-reused'; runDir: string }
  /** The run folder is ready (its config written if it is new), before any seed trains; `backend` is the one it trains on. */
  | {
      type: 'run-ready';
      runDir: string;
      config: RunConfig;
      backend: string;
      users: number;
      items: number;
      isNew: boolean;
    }
  /** A line a seed process wrote on its stderr (see SeedProcesses), without its line break. */
  | { type: 'seed-process-output'; seed: number; line: string }
  /** A seed already has its metrics: trained by a seed process of this call, or in an earlier run of the folder. */
  | { type: 'seed-reused'; runDir: string; seed: number; file: string; trainedBy: 'seed-process' | 'earlier-run' }
  /** A seed continues from its checkpoint: after a whole epoch, or inside one (`partialEpoch`). */
  | { type: 'seed-resumed'; seed: number; epochsDone: number; partialEpoch?: PartialEpoch }
  /** The trainer's own progress for a seed (epoch-start, batch-end, epoch-end, early-stop, run-end). */
  | { type: 'training'; seed: number; event: TrainingEvent }
  /** A seed finished; its metrics are in its folder's metrics.json. */
  | { type: 'seed-finished'; seed: number; metrics: SeedMetrics };

/** How a caller listens: every event of a call, as it happens. */
export interface ProgressListener<Event> {
  onEvent?: (event: Event) => void;
}
