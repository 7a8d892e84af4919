import { InvalidArgumentError } from '@imecd/core';
import type { RecommenderModel } from './model-contract';
import { createPop } from './pop';
import { createSasrec, type SasrecOptions } from './sasrec';

/** Model names the factory knows. */
export const MODEL_NAMES = ['pop', 'sasrec'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** The hyperparameters each model accepts, with their defaults (the field's SASRec settings). */
export const MODEL_DEFAULTS: Record<ModelName, Record<string, number | string>> = {
  pop: { maxLength: 50, countFrom: 'train' },
  sasrec: {
    hiddenSize: 64,
    numLayers: 2,
    numHeads: 2,
    innerSize: 256,
    dropout: 0.5,
    attentionDropout: 0.5,
    maxLength: 50,
    negativeSamples: 0,
  },
};

/** Builds a model by name; unknown names or hyperparameters are errors that list the valid ones. */
export function createModel(
  name: string,
  options: { numItems: number; seed?: number; hyperparameters?: Record<string, number | string> },
): RecommenderModel {
  if (!(MODEL_NAMES as readonly string[]).includes(name)) {
    throw new InvalidArgumentError('model', `unknown model "${name}"; choose one of ${MODEL_NAMES.join(', ')}`);
  }
  const modelName = name as ModelName;
  const hyperparameters = { ...MODEL_DEFAULTS[modelName], ...options.hyperparameters };
  for (const key of Object.keys(hyperparameters)) {
    if (!(key in MODEL_DEFAULTS[modelName])) {
      throw new InvalidArgumentError(
        key,
        `${name} has no hyperparameter "${key}"; it has ${Object.keys(MODEL_DEFAULTS[modelName]).join(', ')}`,
      );
    }
  }
  for (const [key, value] of Object.entries(hyperparameters)) {
    if (typeof value !== typeof MODEL_DEFAULTS[modelName][key]) {
      throw new InvalidArgumentError(
        key,
        `expected a ${typeof MODEL_DEFAULTS[modelName][key]}, got ${JSON.stringify(value)}`,
      );
    }
  }
  if (modelName === 'pop') {
    return createPop({
      numItems: options.numItems,
      maxLength: hyperparameters.maxLength as number,
      countFrom: hyperparameters.countFrom as 'train' | 'all',
    });
  }
  return createSasrec({
    numItems: options.numItems,
    seed: options.seed ?? 1,
    ...(hyperparameters as Omit<SasrecOptions, 'numItems'>),
  });
}
