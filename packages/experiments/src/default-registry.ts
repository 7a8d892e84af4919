import { InvalidArgumentError } from '@imecd/core';
import {
  createImecdVariant,
  hasSplittableLoss,
  IMECD_SETTINGS,
  IMECD_VARIANT_NAMES,
  IMECD_VARIANTS,
  type ImecdSettings,
  type ImecdVariantName,
  resolveImecdOptions,
  unusedOptions,
} from '@imecd/imecd';
import { createModel, createPop, createSasrec, MODEL_SETTINGS } from '@imecd/recommender';
import { createModelRegistry, type ModelRegistry } from './model-registry';

/** The settings of the IMECD family that change only how a trained model scores. */
const IMECD_INFERENCE_SETTINGS = ['scoreFusion', 'samplingSteps', 'scoreStreams'] as const;

/**
 * A registry of the project's models, in table order: the baselines of @imecd/recommender (pop,
 * sasrec, and sasrec-bce: SASRec with its paper's one-negative BCE) and IMECD with its ablations
 * and the fusion baseline (IMECD_VARIANTS of @imecd/imecd).
 */
export function createDefaultRegistry(): ModelRegistry {
  const registry = createModelRegistry()
    .registerModel({
      name: 'pop',
      settings: MODEL_SETTINGS.pop,
      capabilities: { readsFeatures: false, inferenceSettings: [] },
      create: ({ numItems, hyperparameters }) => createPop({ numItems, ...hyperparameters }),
    })
    .registerModel({
      name: 'sasrec',
      settings: MODEL_SETTINGS.sasrec,
      // A mean over positions with nothing across rows: the parts of a split batch recombine exactly.
      capabilities: { readsFeatures: false, splittableLoss: true, inferenceSettings: [] },
      create: ({ numItems, seed, hyperparameters }) => createSasrec({ numItems, seed, ...hyperparameters }),
    })
    .registerModel({
      name: 'sasrec-bce',
      settings: MODEL_SETTINGS['sasrec-bce'],
      capabilities: { readsFeatures: false, splittableLoss: true, inferenceSettings: [] },
      create: ({ numItems, seed, hyperparameters }) => createModel('sasrec-bce', { numItems, seed, hyperparameters }),
    });
  for (const name of IMECD_VARIANT_NAMES) {
    registry.registerModel({
      name,
      settings: IMECD_SETTINGS,
      capabilities: {
        readsFeatures: true,
        splittableLoss: hasSplittableLoss(IMECD_VARIANTS[name]),
        inferenceSettings: IMECD_INFERENCE_SETTINGS,
      },
      // The family was first trained with the separate denoiser (the first reading), before `generator` existed.
      settingsBeforeRecorded: { generator: 'separate' },
      unusedSettings: unusedOptions(name),
      check: (hyperparameters, modalities) => checkImecdSettings(name, hyperparameters, modalities),
      create: ({ numItems, seed, hyperparameters, inputs }) =>
        createImecdVariant(name, { numItems, seed, features: inputs, ...hyperparameters }),
    });
  }
  return registry;
}

/**
 * IMECD's own check of settings that go together (e.g. a score fusion only the first reading
 * has), without the dataset: the options then know only the ID stream, so a feature stream named
 * by scoreStreams stands in as 'id' (which still meets the reading's own check) and is checked
 * against the run's `modalities` here.
 */
function checkImecdSettings(name: ImecdVariantName, settings: ImecdSettings, modalities: readonly string[]): void {
  const { scoreStreams } = settings;
  resolveImecdOptions({
    numItems: 1,
    ...settings,
    ...(scoreStreams === 'all' ? {} : { scoreStreams: 'id' as const }),
    ...IMECD_VARIANTS[name],
  });
  const streams = ['all', 'id', ...modalities];
  if (!streams.includes(scoreStreams)) {
    throw new InvalidArgumentError(
      'scoreStreams',
      `expected one of ${streams.join(', ')} (this run's streams), got ${JSON.stringify(scoreStreams)}`,
    );
  }
}
