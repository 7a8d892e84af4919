import { padHistories } from '@imecd/data-amazon';
import {
  type BatchingStrategy,
  DEFAULT_BATCHING,
  type EvaluationSet,
  makeTrainingBatches,
  makeTrainingWindows,
  type TrainingBatch,
  type TrainingWindow,
} from '@imecd/recommender';
import type { InProcessCaseName } from './args';
import { stratifiedSample } from './stats';

/** How much each kind of case runs: `pnpm bench` and `pnpm bench --quick`. */
export interface Effort {
  warmupSteps: number;
  sasrecSteps: number;
  imecdSteps: number;
  /** Batches timed per epoch; Infinity = every batch (a measured epoch). */
  epochSample: number;
  evalPasses: number;
}

export const FULL_EFFORT: Effort = {
  warmupSteps: 2,
  sasrecSteps: 10,
  imecdSteps: 6,
  epochSample: Infinity,
  evalPasses: 2,
};
export const QUICK_EFFORT: Effort = { warmupSteps: 1, sasrecSteps: 3, imecdSteps: 2, epochSample: 8, evalPasses: 1 };

/** Trainer defaults the cases use (TrainerOptions' defaults). */
export const BATCH_SIZE = 256;

/**
 * The width per stream of reproduce's toys preset for the IMECD family (apps/reproduce/src/presets.ts:
 * two streams as wide together as SASRec's 64); the bench cannot import another app, so it is repeated here.
 */
export const TOYS_PRESET_HIDDEN_SIZE = 32;

export interface TrainCase {
  id: InProcessCaseName;
  kind: 'train';
  /**
   * `'imecd'`: IMECD's first reading (generator 'separate'), which the PyTorch reference mirrors;
   * `'imecd-generative'`: today's default IMECD, timed against SASRec in the same run (no mirror);
   * `'imecd-toys-preset'`: the same with {@link TOYS_PRESET_HIDDEN_SIZE} dims per stream, the IMECD
   * the toys tables train.
   */
  model: 'sasrec' | 'imecd' | 'imecd-generative' | 'imecd-toys-preset';
  dataset: 'toys' | 'scientific';
  /** Untimed steps first, then the timed ones. */
  warmup: number;
  batches: TrainingBatch[];
  /** Per timed batch: how many epoch batches it stands for (1 for step cases and measured epochs). */
  weights: number[];
  /** Epoch cases: batches in the whole epoch, and whether the timed ones are a sample of it. */
  epoch?: { batches: number; extrapolated: boolean };
}

export interface EvalCase {
  id: InProcessCaseName;
  kind: 'eval';
  model: 'sasrec';
  dataset: 'toys';
  set: EvaluationSet;
  /** Users in the order and batches evaluateFullRanking uses (shortest history first, 256 per batch). */
  batches: { histories: Int32Array; size: number; length: number; targets: Int32Array }[];
  passes: number;
  /** The train case whose trained model is scored, when it ran. */
  modelFrom: InProcessCaseName;
}

export type BenchCase = TrainCase | EvalCase;

/**
 * Full-size batches (256 rows) of real windows, longest first: the issue's step shapes (batch
 * 256, history 50 on toys). Plain shuffled batches pad to their longest row, which is the full
 * history for almost every toys batch; several epochs' orders are drawn until there are enough.
 */
export function fullSizeBatches(windows: readonly TrainingWindow[], count: number): TrainingBatch[] {
  const found: TrainingBatch[] = [];
  for (let seed = 1; found.length < count && seed <= 64; seed++) {
    found.push(
      ...makeTrainingBatches(windows, { batchSize: BATCH_SIZE, seed, strategy: 'random' }).filter(
        (batch) => batch.size === BATCH_SIZE,
      ),
    );
  }
  if (found.length === 0) throw new Error(`fewer than ${BATCH_SIZE} training windows: no full-size batch`);
  const longestFirst = found
    .map((batch, index) => ({ batch, index }))
    .sort((a, b) => b.batch.length - a.batch.length || a.index - b.index);
  return Array.from({ length: count }, (_, index) => longestFirst[index % longestFirst.length]!.batch);
}

/** A step case: `warmup` + `steps` full-size batches. */
export function stepCase(
  id: InProcessCaseName,
  model: TrainCase['model'],
  dataset: TrainCase['dataset'],
  windows: readonly TrainingWindow[],
  warmup: number,
  steps: number,
): TrainCase {
  return {
    id,
    kind: 'train',
    model,
    dataset,
    warmup,
    batches: fullSizeBatches(windows, warmup + steps),
    weights: new Array<number>(steps).fill(1),
  };
}

/**
 * An epoch case: one epoch of the trainer's batches (its default batching unless `strategy` names
 * another; the seed only changes their order), after one untimed warm-up step on a full-size batch.
 * With a finite sample size the timed batches are a stratified sample of the epoch and the epoch
 * time is extrapolated.
 */
export function epochCase(
  id: InProcessCaseName,
  model: TrainCase['model'],
  dataset: TrainCase['dataset'],
  windows: readonly TrainingWindow[],
  sample: number,
  strategy: BatchingStrategy = DEFAULT_BATCHING,
): TrainCase {
  const epoch = makeTrainingBatches(windows, { batchSize: BATCH_SIZE, seed: 1, strategy });
  const chosen = Number.isFinite(sample)
    ? stratifiedSample(
        epoch.map((batch) => batch.size * batch.length),
        sample,
      )
    : epoch.map((_, index) => ({ index, weight: 1 }));
  return {
    id,
    kind: 'train',
    model,
    dataset,
    warmup: 1,
    batches: [fullSizeBatches(windows, 1)[0]!, ...chosen.map(({ index }) => epoch[index]!)],
    weights: chosen.map(({ weight }) => weight),
    epoch: { batches: epoch.length, extrapolated: chosen.length < epoch.length },
  };
}

/** Full-ranking evaluation of every user of `set`, batched exactly as evaluateFullRanking batches. */
export function evalCase(
  id: InProcessCaseName,
  set: EvaluationSet,
  maxLength: number,
  passes: number,
  modelFrom: InProcessCaseName,
): EvalCase {
  const order = Array.from(set.targets.keys()).sort(
    (a, b) => set.histories[a]!.length - set.histories[b]!.length || a - b,
  );
  const batches: EvalCase['batches'] = [];
  for (let start = 0; start < order.length; start += BATCH_SIZE) {
    const users = order.slice(start, start + BATCH_SIZE);
    const histories = users.map((user) => set.histories[user]!);
    const length = Math.max(1, Math.min(maxLength, Math.max(...histories.map((history) => history.length))));
    batches.push({
      histories: padHistories(histories, length),
      size: users.length,
      length,
      targets: Int32Array.from(users, (user) => set.targets[user]!),
    });
  }
  return { id, kind: 'eval', model: 'sasrec', dataset: 'toys', set, batches, passes, modelFrom };
}

/** The training windows of a split's training sequences (the trainer's own). */
export const windowsOf = (sequences: readonly Int32Array[], maxLength: number) =>
  makeTrainingWindows(sequences, maxLength);

/** The thread counts below `threads` that PyTorch's evaluation is also timed at: halved down to 1 (8 → 4, 2, 1). */
export function fewerThreads(threads: number): number[] {
  const counts: number[] = [];
  for (let next = Math.floor(threads / 2); next >= 1; next = Math.floor(next / 2)) counts.push(next);
  return counts;
}
