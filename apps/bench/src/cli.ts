import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '@imecd/backend';
import { type FeatureMatrix, loadDataset, splitLeaveOneOut } from '@imecd/data-amazon';
import type { RecommenderModel } from '@imecd/recommender';
import * as tf from '@tensorflow/tfjs-core';
import { BENCH_USAGE, type InProcessCaseName, isInProcessCase, parseBenchArgs } from './args';
import { formatReport } from './format-report';
import { writeManifest } from './manifest';
import {
  type BenchCase,
  epochCase,
  evalCase,
  FULL_EFFORT,
  fewerThreads,
  QUICK_EFFORT,
  stepCase,
  windowsOf,
} from './plan';
import { buildReport, type TorchEvalRun } from './report';
import { round } from './stats';
import { buildCaseModel, type EvalResult, runEvalCase, runTrainCase, type TrainResult } from './tfjs-cases';
import { ensureTorch, isOptimizedBlas, runTorchReference, type TorchOutput } from './torch-reference';
import { measureWorkerEpochs } from './worker-epochs';

const MAX_LENGTH = 50; // the models' default history length

async function main(argv: string[]): Promise<number> {
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  let args: ReturnType<typeof parseBenchArgs>;
  try {
    args = parseBenchArgs(argv, { cores: availableParallelism() });
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${BENCH_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const effort = args.quick ? QUICK_EFFORT : FULL_EFFORT;
  const notes: string[] = [];
  const round2 = (values: number[]) => values.map((value) => round(value, 3)!);
  const loadBefore = round2(loadavg());
  const cores = availableParallelism();
  if (loadBefore[0]! > 0.5)
    notes.push(
      `load average ${loadBefore[0]} on ${cores} cores before measuring: other jobs shared the cores, so absolute times are pessimistic`,
    );
  if (loadBefore[0]! >= cores / 2 && args.threads > 1 && args.torch) {
    notes.push(
      `with the cores busy, PyTorch's ${args.threads} threads wait on each other and its times suffer more than wasm's; --threads 1 gives the conservative ratio`,
    );
  }

  // Data: the shipped datasets, split as the trainer splits them.
  const datasetsDir = fileURLToPath(new URL('../../../datasets/', import.meta.url));
  const inProcess = args.cases.filter(isInProcessCase);
  const wanted = new Set(inProcess.map((name) => (name.endsWith('scientific') ? 'scientific' : 'toys')));
  const data: Record<
    string,
    {
      numItems: number;
      features: FeatureMatrix[];
      windows: ReturnType<typeof windowsOf>;
      test: { histories: Int32Array[]; targets: Int32Array };
    }
  > = {};
  for (const name of wanted) {
    const dataset = await loadDataset(join(process.env.IMECD_DATASETS_DIR ?? datasetsDir, name), { name });
    const split = splitLeaveOneOut(dataset, { maxHistory: MAX_LENGTH });
    const features = (['text', 'image'] as const).flatMap((modality) =>
      dataset.features[modality] ? [dataset.features[modality]] : [],
    );
    data[name] = {
      numItems: dataset.numItems,
      features,
      windows: windowsOf(split.train.sequences, MAX_LENGTH),
      test: { histories: split.test.histories, targets: split.test.targets },
    };
  }
  const plan: Record<InProcessCaseName, () => BenchCase> = {
    'sasrec-step': () =>
      stepCase('sasrec-step', 'sasrec', 'toys', data.toys!.windows, effort.warmupSteps, effort.sasrecSteps),
    'sasrec-epoch': () => epochCase('sasrec-epoch', 'sasrec', 'toys', data.toys!.windows, effort.epochSample),
    'sasrec-epoch-bucketed': () =>
      epochCase('sasrec-epoch-bucketed', 'sasrec', 'toys', data.toys!.windows, effort.epochSample, 'length-bucketed'),
    'sasrec-eval': () => evalCase('sasrec-eval', data.toys!.test, MAX_LENGTH, effort.evalPasses, 'sasrec-epoch'),
    'imecd-step-scientific': () =>
      stepCase(
        'imecd-step-scientific',
        'imecd',
        'scientific',
        data.scientific!.windows,
        effort.warmupSteps,
        effort.imecdSteps,
      ),
    'imecd-epoch-scientific': () =>
      epochCase('imecd-epoch-scientific', 'imecd', 'scientific', data.scientific!.windows, effort.epochSample),
    'imecd-step-toys': () =>
      stepCase('imecd-step-toys', 'imecd', 'toys', data.toys!.windows, effort.warmupSteps, effort.imecdSteps),
    'imecd-epoch-toys': () =>
      epochCase('imecd-epoch-toys', 'imecd-generative', 'toys', data.toys!.windows, effort.epochSample),
    'imecd-epoch-toys-preset': () =>
      epochCase('imecd-epoch-toys-preset', 'imecd-toys-preset', 'toys', data.toys!.windows, effort.epochSample),
  };
  const cases = inProcess.map((name) => plan[name]());

  // The tfjs side, one case at a time; sasrec-eval scores the model sasrec-epoch trained.
  // The same threads on both sides unless IMECD_THREADS sets wasm's alone.
  const selection = await selectBackend(process.env.IMECD_THREADS ? {} : { threads: args.threads });
  const wasmThreads = selection.threads ?? 1;
  log(`tfjs backend: ${selection.name}, ${wasmThreads} thread(s)`);
  const results: (TrainResult | EvalResult)[] = [];
  const configs: Record<string, Record<string, unknown>> = {};
  const kept = new Map<string, RecommenderModel>();
  for (const entry of cases) {
    const source = data[entry.dataset]!;
    const from = entry.kind === 'eval' ? entry.modelFrom : undefined;
    const reused = from === undefined ? undefined : kept.get(from);
    const { model, config } = reused ? { model: reused, config: configs[from!]! } : buildCaseModel(entry, source);
    configs[entry.id] = config;
    log(`tfjs ${entry.id}…`);
    if (entry.kind === 'train') {
      results.push(
        runTrainCase(entry, model, (done, total) => process.stderr.write(`\r[bench]   step ${done}/${total}`)),
      );
      process.stderr.write('\n');
    } else {
      results.push(runEvalCase(entry, model));
    }
    if (entry.id === 'sasrec-epoch' && args.cases.includes('sasrec-eval')) kept.set(entry.id, model);
    else model.dispose();
  }
  for (const model of kept.values()) model.dispose();
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  log(`tfjs done; tensors left ${tf.memory().numTensors}`);
  // Data-parallel epochs, through the CLI a user runs; before PyTorch, so they never share the cores.
  const workerEpochs = args.cases.includes('sasrec-epoch-workers') ? measureWorkerEpochs([1, 2], wasmThreads, log) : [];

  // The PyTorch side, after ours, so the two never share the cores.
  let torch: TorchOutput | null = null;
  const torchEvalRuns: TorchEvalRun[] = [];
  let optimizedBlas = false;
  if (args.torch) {
    const setup = ensureTorch({ python: args.python, install: args.install, log });
    notes.push(...setup.notes);
    if (setup.ready) {
      const folder = await mkdtemp(join(tmpdir(), 'imecd-bench-'));
      try {
        const features = Object.fromEntries(Object.entries(data).map(([name, entry]) => [name, entry.features]));
        // The reference has no generative reading.
        const mirrored = cases.filter(
          (entry) => entry.model !== 'imecd-generative' && entry.model !== 'imecd-toys-preset',
        );
        const manifest = await writeManifest(folder, { threads: args.threads, cases: mirrored, configs, features });
        log(`PyTorch reference (${args.threads} threads) on the same batches…`);
        torch = runTorchReference(args.python, manifest);
        // PyTorch evaluates fastest with fewer threads than the cores on some machines (one, on the
        // 2-core box): issue 18 compares against its best, so its evaluation runs again at each.
        const evaluation = mirrored.filter((entry) => entry.id === 'sasrec-eval');
        for (const threads of evaluation.length > 0 ? fewerThreads(args.threads) : []) {
          const subfolder = join(folder, `threads-${threads}`);
          await mkdir(subfolder);
          const evalManifest = await writeManifest(subfolder, { threads, cases: evaluation, configs, features });
          log(`PyTorch evaluation again with ${threads} thread(s), for its best thread count…`);
          const result = runTorchReference(args.python, evalManifest).cases.find((entry) => entry.id === 'sasrec-eval');
          if (result && 'passSeconds' in result) torchEvalRuns.push({ threads, ...result });
        }
      } finally {
        if (args.keep) log(`batch files kept in ${folder}`);
        else await rm(folder, { recursive: true, force: true });
      }
      optimizedBlas = isOptimizedBlas(torch.blas);
      if (!optimizedBlas)
        notes.push(
          `PyTorch used ${torch.blas}, not an optimised BLAS: its times are ~12× too slow and the ratios meaningless; install libopenblas0-pthread`,
        );
    } else {
      notes.push('no PyTorch reference: ratios are null');
    }
  }
  if (args.quick)
    notes.push(
      "--quick: few timed steps; epoch times are extrapolated from a stratified sample of the epoch's batches (epochExtrapolated)",
    );

  const report = buildReport({
    cases,
    results,
    workerEpochs,
    torch,
    torchEvalRuns,
    optimizedBlas,
    backend: selection.name,
    backendThreads: wasmThreads,
    peakRssMiB,
    quick: args.quick,
    notes,
    machine: { cores, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', loadBefore, loadAfter: round2(loadavg()) },
  });
  process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
