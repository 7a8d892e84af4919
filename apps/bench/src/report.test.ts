import { describe, expect, it } from 'vitest';
import { formatReport } from './format-report';
import type { BenchCase } from './plan';
import { buildReport, type ReportInput } from './report';

// SYNTHETIC timings and batches: only the arithmetic and the layout are under test.
const batch = (size: number, length: number) => ({
  size,
  length,
  inputs: new Int32Array(size * length),
  targets: new Int32Array(size * length),
  scoredCount: 0,
});
const cases: BenchCase[] = [
  {
    id: 'sasrec-step',
    kind: 'train',
    model: 'sasrec',
    dataset: 'toys',
    warmup: 1,
    batches: [batch(256, 50), batch(256, 50), batch(256, 50), batch(256, 50)],
    weights: [1, 1, 1],
  },
  {
    id: 'sasrec-epoch',
    kind: 'train',
    model: 'sasrec',
    dataset: 'toys',
    warmup: 1,
    batches: [batch(256, 50), batch(256, 3), batch(100, 50)],
    weights: [9, 1],
    epoch: { batches: 10, extrapolated: true },
  },
  {
    id: 'sasrec-eval',
    kind: 'eval',
    model: 'sasrec',
    dataset: 'toys',
    set: { histories: [], targets: new Int32Array(0) },
    batches: [],
    passes: 1,
    modelFrom: 'sasrec-epoch',
  },
];
const input: ReportInput = {
  cases,
  results: [
    { id: 'sasrec-step', stepSeconds: [2, 1, 4], lastLoss: 9 },
    { id: 'sasrec-epoch', stepSeconds: [1, 11], lastLoss: 9 },
    { id: 'sasrec-eval', passSeconds: [10], users: 1000 },
  ],
  torch: {
    torchVersion: '1.13',
    threads: 2,
    blas: '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3',
    peakRssMiB: 500,
    cases: [
      { id: 'sasrec-step', stepSeconds: [0.5, 0.5, 0.5], lastLoss: 9 },
      { id: 'sasrec-epoch', stepSeconds: [0.5, 5.5], lastLoss: 9 },
      { id: 'sasrec-eval', passSeconds: [20], users: 1000 },
    ],
  },
  optimizedBlas: true,
  backend: 'wasm',
  backendThreads: 2,
  machine: { cores: 2, cpuModel: 'Synthetic CPU', loadBefore: [1, 1, 1], loadAfter: [2, 2, 2] },
  peakRssMiB: 1234.56,
  quick: true,
  notes: ['a note'],
};

describe('buildReport', () => {
  const report = buildReport(input);

  it('puts medians and ratios of the step case at the top level', () => {
    expect(report.trainStepsPerSec).toBe(0.5); // median 2 s
    expect(report.torchTrainStepsPerSec).toBe(2);
    expect(report.trainRatioVsTorch).toBe(0.25);
    expect(report.sasrec.step).toMatchObject({
      shape: 'batch 256 × length 50',
      timed: 3,
      seconds: 2,
      torchSeconds: 0.5,
    });
  });

  it('extrapolates the epoch from weighted samples', () => {
    expect(report.epochSeconds).toBe(20); // 1·9 + 11·1
    expect(report.torchEpochSeconds).toBe(10);
    expect(report.epochExtrapolated).toBe(true);
    expect(report.sasrec.epoch).toMatchObject({ epochBatches: 10, perSec: 0.5, torchPerSec: 1, ratioVsTorch: 0.5 });
  });

  it('reports evaluation in users per second', () => {
    expect(report).toMatchObject({ evalUsersPerSec: 100, torchEvalUsersPerSec: 50, evalRatioVsTorch: 2 });
  });

  it('leaves every ratio null without a reference', () => {
    const alone = buildReport({ ...input, torch: null });
    expect(alone).toMatchObject({
      trainRatioVsTorch: null,
      evalRatioVsTorch: null,
      torchEpochSeconds: null,
      torch: null,
      trainStepsPerSec: 0.5,
    });
  });

  it('formats one table row per case with the machine, BLAS and notes', () => {
    const text = formatReport(report);
    expect(text).toMatch(/2 cores, Synthetic CPU; load average before 1 1 1/);
    expect(text).toMatch(/PyTorch 1\.13, 2 threads, BLAS .*openblas/);
    expect(text).toMatch(/sasrec-step\s+batch 256 × length 50\s+0\.5 steps\/s\s+2 steps\/s\s+0\.25×/);
    expect(text).toMatch(/epoch 20 s vs 10 s \(extrapolated\)/);
    expect(text).toMatch(/sasrec-eval .*100 users\/s\s+50 users\/s\s+2×/);
    expect(text).toMatch(/note: a note/);
  });

  it("puts the default batching's epoch beside the old length-bucketed one when both ran", () => {
    expect(report.batchingCost).toBeNull();
    const bucketed: BenchCase = { ...cases[1]!, id: 'sasrec-epoch-bucketed' } as BenchCase;
    const both = buildReport({
      ...input,
      cases: [...cases, bucketed],
      results: [...input.results, { id: 'sasrec-epoch-bucketed', stepSeconds: [1, 7], lastLoss: 9 }],
    });
    expect(both.batchingCost).toEqual({ defaultEpochSeconds: 20, bucketedEpochSeconds: 16, ratio: 1.25 }); // 1·9 + 7·1
    expect(formatReport(both)).toMatch(/default batching vs the old length-bucketed batches: 20 s vs 16 s \(1\.25×\)/);
  });

  it("puts the generative IMECD toys epoch over the SASRec toys epoch of the same run (issue 14's cost ratio) when both ran", () => {
    expect(report.imecdToSasrecEpoch).toBeNull();
    const generative: BenchCase = { ...cases[1]!, id: 'imecd-epoch-toys', model: 'imecd-generative' } as BenchCase;
    const both = buildReport({
      ...input,
      cases: [...cases, generative],
      results: [...input.results, { id: 'imecd-epoch-toys', stepSeconds: [4, 10], lastLoss: 9 }],
    });
    expect(both.imecdToSasrecEpoch).toEqual({ imecdEpochSeconds: 46, sasrecEpochSeconds: 20, ratio: 2.3 }); // 4·9 + 10·1
    expect(formatReport(both)).toMatch(
      /IMECD \(generative reading\) vs SASRec, training steps: 46 s vs 20 s \(2\.3×; issue 14's limit 2\.5×\)/,
    );
  });

  it("puts the toys preset's IMECD epoch over the same SASRec epoch (issue 18's target) when both ran", () => {
    expect(report.imecdPresetToSasrecEpoch).toBeNull();
    const preset: BenchCase = { ...cases[1]!, id: 'imecd-epoch-toys-preset', model: 'imecd-toys-preset' } as BenchCase;
    const both = buildReport({
      ...input,
      cases: [...cases, preset],
      results: [...input.results, { id: 'imecd-epoch-toys-preset', stepSeconds: [3, 3], lastLoss: 9 }],
    });
    expect(both.imecdPresetToSasrecEpoch).toEqual({ imecdEpochSeconds: 30, sasrecEpochSeconds: 20, ratio: 1.5 }); // 3·9 + 3·1
    expect(both.imecdToSasrecEpoch).toBeNull();
    expect(both.imecd.epochToysPreset?.epochSeconds).toBe(30);
    expect(formatReport(both)).toMatch(
      /toys preset trains it \(32 dims per stream\) vs SASRec, training steps: 30 s vs 20 s \(1\.5×; issue 18's target 2×\)/,
    );
  });

  it("puts the data-parallel epochs beside one worker and PyTorch's epoch, and leaves them null when not run", () => {
    expect(report.sasrecWorkers).toBeNull();
    const withWorkers = buildReport({
      ...input,
      workerEpochs: [
        { workers: 1, trainSeconds: 30, batches: 10 },
        { workers: 2, trainSeconds: 20, batches: 10 },
      ],
    });
    expect(withWorkers.sasrecWorkers).toEqual({
      trainSeconds: { '1': 30, '2': 20 },
      speedup: 1.5,
      fastestWorkers: 2,
      ratioVsTorch: 0.5,
      batches: 10,
    }); // torch epoch 10 s
    expect(formatReport(withWorkers)).toMatch(
      /1 worker\(s\) 30 s, 2 worker\(s\) 20 s; speed-up 1\.5×; 2 worker\(s\), the faster, vs PyTorch's epoch 0\.5×/,
    );
    const oneFaster = buildReport({
      ...input,
      workerEpochs: [
        { workers: 1, trainSeconds: 8, batches: 10 },
        { workers: 2, trainSeconds: 16, batches: 10 },
      ],
    }).sasrecWorkers;
    expect(oneFaster).toMatchObject({ speedup: 0.5, fastestWorkers: 1, ratioVsTorch: 1.25 });
  });

  it("puts our evaluation beside PyTorch's best thread count (issue 18's target), and leaves it null without the reference", () => {
    expect(report.evalVsTorchBest).toEqual({
      usersPerSec: 100,
      torchUsersPerSec: { '2': 50 },
      torchBestThreads: 2,
      torchBestUsersPerSec: 50,
      ratio: 2,
    });
    const withOneThread = buildReport({
      ...input,
      torchEvalRuns: [{ threads: 1, passSeconds: [9, 8, 7], users: 1000 }],
    });
    expect(withOneThread.evalVsTorchBest).toEqual({
      usersPerSec: 100,
      torchUsersPerSec: { '1': 125, '2': 50 }, // median 8 s
      torchBestThreads: 1,
      torchBestUsersPerSec: 125,
      ratio: 0.8,
    });
    expect(formatReport(withOneThread)).toMatch(
      /sasrec evaluation at 2 thread\(s\) vs PyTorch's best \(.*125 users\/s at 1 thread\(s\).*\): 100 vs 125 users\/s \(0\.8×; issue 18's target 1×\)/,
    );
    expect(buildReport({ ...input, torch: null }).evalVsTorchBest).toBeNull();
  });
});
