import type { CaseName } from './args';
import type { BenchCase } from './plan';
import { epochSeconds, median, perSecond, ratio, round } from './stats';
import type { EvalResult, TrainResult } from './tfjs-cases';

/** One case of the report; throughputs are per second, ratios are ours / PyTorch's throughput. */
export interface CaseReport {
  id: CaseName;
  /** What one unit is: `batch 256 × length 50` for steps, `19412 users` for an evaluation pass. */
  shape: string;
  timed: number;
  seconds: number | null;
  torchSeconds: number | null;
  perSec: number | null;
  torchPerSec: number | null;
  ratioVsTorch: number | null;
  unit: 'steps' | 'users';
  /** Epoch cases: the whole epoch's training time (extrapolated from a sample when `epochExtrapolated`). */
  epochSeconds?: number;
  torchEpochSeconds?: number | null;
  epochBatches?: number;
  epochExtrapolated?: boolean;
}

export function trainCaseReport(
  entry: Extract<BenchCase, { kind: 'train' }>,
  ours: TrainResult,
  theirs: TrainResult | undefined,
): CaseReport {
  const timedBatches = entry.batches.slice(entry.warmup);
  const lengths = timedBatches.map((batch) => batch.length);
  const sizes = timedBatches.map((batch) => batch.size);
  const shape = entry.epoch
    ? `${entry.epoch.batches} batches of ≤ ${Math.max(...sizes)} rows, lengths ${Math.min(...lengths)}–${Math.max(...lengths)}`
    : `batch ${median(sizes)} × length ${Math.min(...lengths) === Math.max(...lengths) ? lengths[0] : `${Math.min(...lengths)}–${Math.max(...lengths)}`}`;
  if (entry.epoch) {
    // An epoch's steps differ in size: its throughput is batches per epoch second, not a median.
    const seconds = epochSeconds(ours.stepSeconds, entry.weights);
    const torchSeconds = theirs ? epochSeconds(theirs.stepSeconds, entry.weights) : null;
    const perSec = perSecond(entry.epoch.batches, seconds);
    const torchPerSec = perSecond(entry.epoch.batches, torchSeconds);
    return {
      id: entry.id,
      shape,
      timed: ours.stepSeconds.length,
      unit: 'steps',
      seconds: round(seconds / entry.epoch.batches),
      torchSeconds: torchSeconds === null ? null : round(torchSeconds / entry.epoch.batches),
      perSec: round(perSec),
      torchPerSec: round(torchPerSec),
      ratioVsTorch: round(ratio(perSec, torchPerSec)),
      epochSeconds: round(seconds, 4)!,
      torchEpochSeconds: round(torchSeconds, 4),
      epochBatches: entry.epoch.batches,
      epochExtrapolated: entry.epoch.extrapolated,
    };
  }
  const seconds = median(ours.stepSeconds);
  const torchSeconds = theirs ? median(theirs.stepSeconds) : null;
  return {
    id: entry.id,
    shape,
    timed: ours.stepSeconds.length,
    unit: 'steps',
    seconds: round(seconds),
    torchSeconds: round(torchSeconds),
    perSec: round(perSecond(1, seconds)),
    torchPerSec: round(perSecond(1, torchSeconds)),
    ratioVsTorch: round(ratio(perSecond(1, seconds), perSecond(1, torchSeconds))),
  };
}

export function evalCaseReport(id: CaseName, ours: EvalResult, theirs: EvalResult | undefined): CaseReport {
  const seconds = median(ours.passSeconds);
  const torchSeconds = theirs ? median(theirs.passSeconds) : null;
  const perSec = perSecond(ours.users, seconds);
  const torchPerSec = theirs ? perSecond(theirs.users, torchSeconds) : null;
  return {
    id,
    shape: `${ours.users} users, all items ranked`,
    timed: ours.passSeconds.length,
    unit: 'users',
    seconds: round(seconds),
    torchSeconds: round(torchSeconds),
    perSec: round(perSec),
    torchPerSec: round(torchPerSec),
    ratioVsTorch: round(ratio(perSec, torchPerSec)),
  };
}
