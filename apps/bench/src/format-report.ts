import type { BenchReport } from './report';

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
  const header = [
    'case',
    'shape',
    `tfjs (${report.backend}, ${report.backendThreads} thr.)`,
    'PyTorch CPU',
    'ratio',
    'epoch',
  ];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((value, column) => value.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  const { machine, torch } = report;
  return [
    `machine: ${machine.cores} cores, ${machine.cpuModel}; load average before ${machine.loadBefore.join(' ')}, after ${machine.loadAfter.join(' ')}`,
    `tfjs backend: ${report.backend}, ${report.backendThreads} thread(s); peak RSS ${report.peakRssMiB} MiB` +
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
            `; speed-up ${cell(report.sasrecWorkers.speedup, '×')}; ${report.sasrecWorkers.fastestWorkers} worker(s), the faster, vs PyTorch's epoch ${cell(report.sasrecWorkers.ratioVsTorch, '×')}`,
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
    ...(report.imecdPresetToSasrecEpoch === null
      ? []
      : [
          `toys epoch, IMECD as the toys preset trains it (32 dims per stream) vs SASRec, training steps: ` +
            `${report.imecdPresetToSasrecEpoch.imecdEpochSeconds} s vs ${report.imecdPresetToSasrecEpoch.sasrecEpochSeconds} s ` +
            `(${report.imecdPresetToSasrecEpoch.ratio}×; issue 18's target 2×)`,
        ]),
    ...(report.evalVsTorchBest === null
      ? []
      : [
          '',
          `sasrec evaluation at ${report.backendThreads} thread(s) vs PyTorch's best (` +
            Object.entries(report.evalVsTorchBest.torchUsersPerSec)
              .map(([threads, perSec]) => `${perSec} users/s at ${threads} thread(s)`)
              .join(', ') +
            `): ${report.evalVsTorchBest.usersPerSec} vs ${report.evalVsTorchBest.torchBestUsersPerSec} users/s ` +
            `(${report.evalVsTorchBest.ratio}×; issue 18's target 1×)`,
        ]),
    ...(report.notes.length ? ['', ...report.notes.map((note) => `note: ${note}`)] : []),
  ].join('\n');
}
