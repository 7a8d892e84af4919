import type { CaseName, InProcessCaseName } from './args';
import type { BenchCase } from './plan';
import { epochSeconds, median, perSecond, ratio, round } from './stats';
import type { EvalResult, TrainResult } from './tfjs-cases';
import type { TorchOutput } from './torch-reference';
import type { WorkerEpoch } from './worker-epochs';

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

export interface BenchReport {
  trainStepsPerSec: number | null;
  torchTrainStepsPerSec: number | null;
  trainRatioVsTorch: number | null;
  evalUsersPerSec: number | null;
  torchEvalUsersPerSec: number | null;
  evalRatioVsTorch: number | null;
  /** Toys sasrec: one training epoch, without the validation pass. */
  epochSeconds: number | null;
  torchEpochSeconds: number | null;
  epochExtrapolated: boolean | null;
  imecdTrainStepsPerSec: number | null;
  torchImecdTrainStepsPerSec: number | null;
  imecdTrainRatioVsTorch: number | null;
  /** Peak resident memory of the bench's node process over all cases (max RSS). */
  peakRssMiB: number;
  torchPeakRssMiB: number | null;
  backend: string;
  machine: { cores: number; cpuModel: string; loadBefore: number[]; loadAfter: number[] };
  torch: { version: string; threads: number; blas: string; optimizedBlas: boolean } | null;
  quick: boolean;
  sasrec: Partial<Record<'step' | 'epoch' | 'epochBucketed' | 'eval', CaseReport>>;
  /**
   * What the unbiased default batching costs: the toys epoch in the trainer's default batches
   * (sasrec-epoch) over the same epoch in the old length-bucketed batches (sasrec-epoch-bucketed),
   * both timed in this run; null unless both ran.
   */
  batchingCost: { defaultEpochSeconds: number; bucketedEpochSeconds: number; ratio: number } | null;
  imecd: Partial<Record<'stepScientific' | 'epochScientific' | 'stepToys' | 'epochToysGenerative', CaseReport>>;
  /**
   * Issue 14's cost limit: a toys epoch of today's IMECD (the generative reading, imecd-epoch-toys)
   * over a toys epoch of SASRec (sasrec-epoch), training steps only, both timed in this run; at most
   * 2.5 is the target. Null unless both ran.
   */
  imecdToSasrecEpoch: { imecdEpochSeconds: number; sasrecEpochSeconds: number; ratio: number } | null;
  /**
   * sasrec-epoch-workers: a toys epoch's training steps through `pnpm reproduce train --workers N`
   * (N = 1, 2), the speed-up of 2 over 1, and 2 workers against PyTorch's epoch (sasrec-epoch's
   * reference, same windows); null when that case did not run.
   */
  sasrecWorkers: {
    trainSeconds: Record<string, number>;
    speedup: number | null;
    ratioVsTorch: number | null;
    batches: number;
  } | null;
  notes: string[];
}

export interface ReportInput {
  cases: readonly BenchCase[];
  results: readonly (TrainResult | EvalResult)[];
  workerEpochs?: readonly WorkerEpoch[];
  torch: TorchOutput | null;
  optimizedBlas: boolean;
  backend: string;
  machine: BenchReport['machine'];
  peakRssMiB: number;
  quick: boolean;
  notes: string[];
}

const SLOTS: Record<
  InProcessCaseName,
  | ['sasrec', 'step' | 'epoch' | 'epochBucketed' | 'eval']
  | ['imecd', 'stepScientific' | 'epochScientific' | 'stepToys' | 'epochToysGenerative']
> = {
  'sasrec-step': ['sasrec', 'step'],
  'sasrec-epoch': ['sasrec', 'epoch'],
  'sasrec-epoch-bucketed': ['sasrec', 'epochBucketed'],
  'sasrec-eval': ['sasrec', 'eval'],
  'imecd-step-scientific': ['imecd', 'stepScientific'],
  'imecd-epoch-scientific': ['imecd', 'epochScientific'],
  'imecd-step-toys': ['imecd', 'stepToys'],
  'imecd-epoch-toys': ['imecd', 'epochToysGenerative'],
};

/** Puts the measured times of both sides side by side. */
export function buildReport(input: ReportInput): BenchReport {
  const report: BenchReport = {
    trainStepsPerSec: null,
    torchTrainStepsPerSec: null,
    trainRatioVsTorch: null,
    evalUsersPerSec: null,
    torchEvalUsersPerSec: null,
    evalRatioVsTorch: null,
    epochSeconds: null,
    torchEpochSeconds: null,
    epochExtrapolated: null,
    imecdTrainStepsPerSec: null,
    torchImecdTrainStepsPerSec: null,
    imecdTrainRatioVsTorch: null,
    peakRssMiB: round(input.peakRssMiB, 4)!,
    torchPeakRssMiB: input.torch ? round(input.torch.peakRssMiB, 4) : null,
    backend: input.backend,
    machine: input.machine,
    torch: input.torch
      ? {
          version: input.torch.torchVersion,
          threads: input.torch.threads,
          blas: input.torch.blas,
          optimizedBlas: input.optimizedBlas,
        }
      : null,
    quick: input.quick,
    sasrec: {},
    imecd: {},
    sasrecWorkers: null,
    batchingCost: null,
    imecdToSasrecEpoch: null,
    notes: [...input.notes],
  };
  for (const entry of input.cases) {
    const ours = input.results.find((result) => result.id === entry.id);
    if (ours === undefined) continue;
    const theirs = input.torch?.cases.find((result) => result.id === entry.id);
    const caseReport =
      entry.kind === 'train'
        ? trainCaseReport(entry, ours as TrainResult, theirs as TrainResult | undefined)
        : evalCaseReport(entry.id, ours as EvalResult, theirs as EvalResult | undefined);
    const [model, slot] = SLOTS[entry.id];
    (report[model] as Record<string, CaseReport>)[slot] = caseReport;
  }
  const { step, epoch, epochBucketed, eval: evaluation } = report.sasrec;
  if (epoch?.epochSeconds !== undefined && epochBucketed?.epochSeconds !== undefined) {
    const [unbiased, bucketed] = [epoch.epochSeconds, epochBucketed.epochSeconds];
    report.batchingCost = {
      defaultEpochSeconds: unbiased,
      bucketedEpochSeconds: bucketed,
      ratio: round(unbiased / bucketed, 3)!,
    };
  }
  const generative = report.imecd.epochToysGenerative;
  if (epoch?.epochSeconds !== undefined && generative?.epochSeconds !== undefined) {
    report.imecdToSasrecEpoch = {
      imecdEpochSeconds: generative.epochSeconds,
      sasrecEpochSeconds: epoch.epochSeconds,
      ratio: round(generative.epochSeconds / epoch.epochSeconds, 3)!,
    };
  }
  if (step)
    Object.assign(report, {
      trainStepsPerSec: step.perSec,
      torchTrainStepsPerSec: step.torchPerSec,
      trainRatioVsTorch: step.ratioVsTorch,
    });
  if (evaluation)
    Object.assign(report, {
      evalUsersPerSec: evaluation.perSec,
      torchEvalUsersPerSec: evaluation.torchPerSec,
      evalRatioVsTorch: evaluation.ratioVsTorch,
    });
  if (epoch)
    Object.assign(report, {
      epochSeconds: epoch.epochSeconds,
      torchEpochSeconds: epoch.torchEpochSeconds,
      epochExtrapolated: epoch.epochExtrapolated,
    });
  const workerEpochs = input.workerEpochs ?? [];
  if (workerEpochs.length > 0) {
    const seconds = (workers: number) => workerEpochs.find((entry) => entry.workers === workers)?.trainSeconds ?? null;
    const [one, two] = [seconds(1), seconds(2)];
    const torchEpoch = epoch?.torchEpochSeconds ?? null;
    report.sasrecWorkers = {
      trainSeconds: Object.fromEntries(
        workerEpochs.map((entry) => [String(entry.workers), round(entry.trainSeconds, 4)!]),
      ),
      speedup: one !== null && two !== null ? round(one / two, 3) : null,
      ratioVsTorch: two !== null && torchEpoch !== null ? round(torchEpoch / two, 3) : null,
      batches: workerEpochs[0]!.batches,
    };
  }
  const imecdStep = report.imecd.stepScientific;
  if (imecdStep)
    Object.assign(report, {
      imecdTrainStepsPerSec: imecdStep.perSec,
      torchImecdTrainStepsPerSec: imecdStep.torchPerSec,
      imecdTrainRatioVsTorch: imecdStep.ratioVsTorch,
    });
  return report;
}

function trainCaseReport(
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

function evalCaseReport(id: CaseName, ours: EvalResult, theirs: EvalResult | undefined): CaseReport {
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

const cell = (value: number | null | undefined, suffix = '') =>
  value === null || value === undefined ? '–' : `${value}${suffix}`;

/** The human-readable table of a report (what `pnpm bench` prints without --json). */
export function formatReport(report: BenchReport): string {
  const rows = [...Object.values(report.sasrec), ...Object.values(report.imecd)].map((entry) => [
    entry.id,
    entry.shape,
    `${cell(entry.perSec)} ${entry.unit}/s`,
    `${cell(entry.torchPerSec)} ${entry.unit}/s`,
    `${cell(entry.ratioVsTorch, '×')}`,
    entry.epochSeconds === undefined
      ? ''
      : `epoch ${cell(entry.epochSeconds, ' s')} vs ${cell(entry.torchEpochSeconds, ' s')}${entry.epochExtrapolated ? ' (extrapolated)' : ''}`,
  ]);
  const header = ['case', 'shape', `tfjs (${report.backend})`, 'PyTorch CPU', 'ratio', 'epoch'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((value, column) => value.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  const { machine, torch } = report;
  return [
    `machine: ${machine.cores} cores, ${machine.cpuModel}; load average before ${machine.loadBefore.join(' ')}, after ${machine.loadAfter.join(' ')}`,
    `tfjs backend: ${report.backend}; peak RSS ${report.peakRssMiB} MiB` +
      (torch
        ? ` | PyTorch ${torch.version}, ${torch.threads} threads, BLAS ${torch.blas}; peak RSS ${report.torchPeakRssMiB} MiB`
        : ' | no PyTorch reference'),
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    ...(report.sasrecWorkers === null
      ? []
      : [
          '',
          `sasrec toys epoch through \`pnpm reproduce train --workers N\` (${report.sasrecWorkers.batches} batches, training steps only): ` +
            Object.entries(report.sasrecWorkers.trainSeconds)
              .map(([workers, seconds]) => `${workers} worker(s) ${seconds} s`)
              .join(', ') +
            `; speed-up ${cell(report.sasrecWorkers.speedup, '×')}; 2 workers vs PyTorch's epoch ${cell(report.sasrecWorkers.ratioVsTorch, '×')}`,
        ]),
    ...(report.batchingCost === null
      ? []
      : [
          '',
          `sasrec toys epoch, default batching vs the old length-bucketed batches: ${report.batchingCost.defaultEpochSeconds} s vs ` +
            `${report.batchingCost.bucketedEpochSeconds} s (${report.batchingCost.ratio}×)`,
        ]),
    ...(report.imecdToSasrecEpoch === null
      ? []
      : [
          '',
          `toys epoch, IMECD (generative reading) vs SASRec, training steps: ${report.imecdToSasrecEpoch.imecdEpochSeconds} s vs ` +
            `${report.imecdToSasrecEpoch.sasrecEpochSeconds} s (${report.imecdToSasrecEpoch.ratio}×; issue 14's limit 2.5×)`,
        ]),
    ...(report.notes.length ? ['', ...report.notes.map((note) => `note: ${note}`)] : []),
  ].join('\n');
}
