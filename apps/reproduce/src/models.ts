import { createHash } from 'node:crypto';
/**
 * One registry over every model the app trains: the recommender package's baselines (pop, sasrec)
 * and IMECD with its ablations and the fusion baseline. Commands build models only through here.
 */
import { InvalidArgumentError, type UntypedSettingsSchema } from '@imecd/core';
import type { FeatureMatrix, ItemCodes, SequenceDataset } from '@imecd/data-amazon';
import {
  createImecdVariant,
  type FeatureModality,
  IMECD_SETTINGS,
  IMECD_VARIANT_NAMES,
  IMECD_VARIANTS,
  type ImecdVariantName,
  resolveImecdOptions,
  unusedOptions,
} from '@imecd/imecd';
import {
  type ModelName as BaselineName,
  createModel,
  MODEL_NAMES,
  MODEL_SETTINGS,
  type RecommenderModel,
} from '@imecd/recommender';

/** Every model name, baselines first, then IMECD and its variants in table order. */
export const ALL_MODEL_NAMES = [...MODEL_NAMES, ...IMECD_VARIANT_NAMES] as const;
export type ModelName = BaselineName | ImecdVariantName;

/** A model's hyperparameters as a run records them (the values its settings schema allows). */
export type Hyperparameters = Record<string, number | string | boolean>;

/** Whether `name` is a model of the registry. */
export function isModelName(name: string): name is ModelName {
  return (ALL_MODEL_NAMES as readonly string[]).includes(name);
}

const isImecdVariant = (name: ModelName): name is ImecdVariantName =>
  (IMECD_VARIANT_NAMES as readonly string[]).includes(name);

/** Whether `name` reads the dataset's feature matrices (the IMECD variants and the fusion baseline do). */
export const readsFeatures = (name: ModelName): boolean => isImecdVariant(name);

/**
 * What a model reads for each modality: the dataset's item codes where it has them, else its
 * feature matrix (a dataset with both for one modality trains on the codes).
 */
export function modalityInputs(dataset: SequenceDataset): Partial<Record<FeatureModality, FeatureMatrix | ItemCodes>> {
  const inputs: Partial<Record<FeatureModality, FeatureMatrix | ItemCodes>> = {};
  for (const modality of ['text', 'image'] as const) {
    const input = dataset.itemCodes?.[modality] ?? dataset.features[modality];
    if (input !== undefined) inputs[modality] = input;
  }
  return inputs;
}

/**
 * A fingerprint of each modality input a model would read (sha256 of its width, values or codes,
 * and mask), so a run records exactly which features it trained on and `--reuse` never mixes two versions.
 */
export function featureFingerprints(dataset: SequenceDataset): Record<string, string> {
  return Object.fromEntries(
    Object.entries(modalityInputs(dataset)).map(([modality, input]) => {
      const hash = createHash('sha256');
      // Dense matrices keep the fingerprint they always had; codes say what they are.
      if ('codes' in input)
        hash
          .update(`codes:${input.levels}x${input.codesPerLevel}:`)
          .update(new Uint8Array(input.codes.buffer, input.codes.byteOffset, input.codes.byteLength));
      else
        hash
          .update(`${input.dim}:`)
          .update(new Uint8Array(input.values.buffer, input.values.byteOffset, input.values.byteLength));
      hash.update(input.mask);
      return [modality, `sha256:${hash.digest('hex')}`];
    }),
  );
}

/** The settings schema of `name`: its hyperparameters, their defaults and ranges (what `--set` may change). */
export function modelSettings(name: ModelName): UntypedSettingsSchema {
  return isImecdVariant(name) ? IMECD_SETTINGS : MODEL_SETTINGS[name];
}

/** The hyperparameters `name` accepts, with their defaults. */
export function modelDefaults(name: ModelName): Hyperparameters {
  return { ...(modelSettings(name).defaults as Hyperparameters) };
}

/**
 * Hyperparameters whose default changed after runs were made without recording them: such a run
 * used the value here, not today's default. The IMECD family was first trained with the separate
 * denoiser (the first reading) before `generator` existed.
 */
const IMECD_HYPERPARAMETERS_BEFORE_RECORDED: Hyperparameters = { generator: 'separate' };

/**
 * The hyperparameters a run folder's config stands for: those it records, and for hyperparameters
 * it predates, the value in force when it was made (what rebuilding, resuming and --reuse must use).
 */
export function recordedHyperparameters(name: ModelName, recorded: Hyperparameters): Hyperparameters {
  return {
    ...modelDefaults(name),
    ...(isImecdVariant(name) ? IMECD_HYPERPARAMETERS_BEFORE_RECORDED : {}),
    ...recorded,
  };
}

/**
 * What makes two runs of `name` the same model: the recorded hyperparameters (see
 * recordedHyperparameters) without those the model never reads (an ablation without the
 * contrastive term is the same whatever its weight), so a changed default of a dead setting does
 * not make `--reuse` retrain it.
 */
export function identifyingHyperparameters(name: ModelName, recorded: Hyperparameters): Hyperparameters {
  const all = recordedHyperparameters(name, recorded);
  if (!isImecdVariant(name)) return all;
  const unused = new Set<string>(unusedOptions(name));
  return Object.fromEntries(Object.entries(all).filter(([key]) => !unused.has(key)));
}

/**
 * The hyperparameters of `name` that change only how a trained model scores, not its weights:
 * what `evaluate --set` may change on a trained run.
 */
export function inferenceSettings(name: ModelName): string[] {
  return isImecdVariant(name) ? ['scoreFusion', 'samplingSteps', 'scoreStreams'] : [];
}

/**
 * Checks that hyperparameters go together before any weights are read (e.g. a score fusion that
 * only the first reading has), for a run whose dataset has `modalities` besides the IDs; throws
 * `InvalidArgumentError` naming the setting. Baselines check theirs when built.
 */
export function checkHyperparameters(
  name: ModelName,
  hyperparameters: Hyperparameters,
  modalities: readonly string[] = [],
): void {
  if (!isImecdVariant(name)) return;
  // Without the dataset's features the options know only the ID stream, so a feature stream named
  // by scoreStreams stands in as 'id' here (which still meets the reading's own check) and is
  // checked against the run's modalities below.
  const { scoreStreams } = hyperparameters;
  const standIn: { scoreStreams?: 'id' } =
    scoreStreams === undefined || scoreStreams === 'all' ? {} : { scoreStreams: 'id' };
  resolveImecdOptions({
    numItems: 1,
    ...IMECD_SETTINGS.resolve(hyperparameters, name),
    ...standIn,
    ...IMECD_VARIANTS[name],
  });
  const streams = ['all', 'id', ...modalities];
  if (scoreStreams !== undefined && !streams.includes(String(scoreStreams))) {
    throw new InvalidArgumentError(
      'scoreStreams',
      `expected one of ${streams.join(', ')} (this run's streams), got ${JSON.stringify(scoreStreams)}`,
    );
  }
}

/**
 * Builds `name` for `dataset`: IMECD variants read the dataset's text and image features (a
 * dataset without them gets the ID stream alone). Unknown names or hyperparameters, or values of
 * the wrong type, are errors that list the valid ones.
 */
export function buildModel(
  name: string,
  options: { dataset: SequenceDataset; seed: number; hyperparameters?: Hyperparameters },
): RecommenderModel {
  if (!isModelName(name))
    throw new InvalidArgumentError('model', `unknown model "${name}"; choose one of ${ALL_MODEL_NAMES.join(', ')}`);
  const { dataset, seed } = options;
  if (!isImecdVariant(name))
    return createModel(name, { numItems: dataset.numItems, seed, hyperparameters: options.hyperparameters ?? {} });
  return createImecdVariant(name, {
    numItems: dataset.numItems,
    seed,
    features: modalityInputs(dataset),
    ...IMECD_SETTINGS.resolve(options.hyperparameters, name),
  });
}
