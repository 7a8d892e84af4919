import type { FeatureMatrix } from '@imecd/data-amazon';
import { createImecd } from '@imecd/imecd';
import { createSasrec, evaluateFullRanking, type RecommenderModel } from '@imecd/recommender';
import * as tf from '@tensorflow/tfjs-core';
import { type BenchCase, type EvalCase, TOYS_PRESET_HIDDEN_SIZE, type TrainCase } from './plan';

export type TrainResult = { id: string; stepSeconds: number[]; lastLoss: number };
export type EvalResult = { id: string; passSeconds: number[]; users: number };

/**
 * Builds a case's model with its defaults (what `pnpm reproduce train` builds) and the config the
 * reference mirrors. Its variables are scoped by the case id: sasrec-epoch's model stays alive for
 * sasrec-eval while the next cases build theirs.
 */
export function buildCaseModel(
  entry: BenchCase,
  data: { numItems: number; features: readonly FeatureMatrix[] },
): { model: RecommenderModel; config: Record<string, unknown> } {
  if (entry.model === 'sasrec') {
    const model = createSasrec({ numItems: data.numItems, name: entry.id });
    return { model, config: { ...model.config } };
  }
  const features = Object.fromEntries(data.features.map((matrix) => [matrix.modality, matrix]));
  // The PyTorch reference mirrors the first reading; the generative one is timed against SASRec only.
  const reading = entry.model === 'imecd' ? ({ generator: 'separate', scoreFusion: 'sum' } as const) : {};
  const width = entry.model === 'imecd-toys-preset' ? { hiddenSize: TOYS_PRESET_HIDDEN_SIZE } : {};
  const model = createImecd({ numItems: data.numItems, features, ...reading, ...width, name: entry.id });
  return {
    model,
    config: { ...model.options, featureSizes: { ...model.options.featureSizes }, streams: [...model.options.streams] },
  };
}

/** One Adam step per batch, as trainModel takes it (minimize, then read the loss back); warm-up steps untimed. */
export function runTrainCase(
  entry: TrainCase,
  model: RecommenderModel,
  onStep: (done: number, total: number) => void,
): TrainResult {
  const optimizer = tf.train.adam(1e-3);
  const stepSeconds: number[] = [];
  let lastLoss = Number.NaN;
  try {
    entry.batches.forEach((batch, index) => {
      const started = performance.now();
      const loss = optimizer.minimize(() => model.loss(batch, { seed: index + 1 }), true, [...model.variables]);
      lastLoss = loss!.dataSync()[0]!;
      loss!.dispose();
      if (index >= entry.warmup) stepSeconds.push((performance.now() - started) / 1000);
      if (!Number.isFinite(lastLoss)) throw new Error(`${entry.id}: loss ${lastLoss} at batch ${index}`);
      onStep(index + 1, entry.batches.length);
    });
  } finally {
    optimizer.dispose();
  }
  return { id: entry.id, stepSeconds, lastLoss };
}

/** Full-ranking evaluation of every user, `passes` times, after an untimed pass over one batch of users. */
export function runEvalCase(entry: EvalCase, model: RecommenderModel): EvalResult {
  const warmUsers = Math.min(256, entry.set.targets.length);
  evaluateFullRanking(model, {
    histories: entry.set.histories.slice(0, warmUsers),
    targets: entry.set.targets.slice(0, warmUsers),
  });
  const passSeconds: number[] = [];
  for (let pass = 0; pass < entry.passes; pass++) {
    const started = performance.now();
    evaluateFullRanking(model, entry.set);
    passSeconds.push((performance.now() - started) / 1000);
  }
  return { id: entry.id, passSeconds, users: entry.set.targets.length };
}
