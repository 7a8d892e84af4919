import { InvalidArgumentError, type UntypedSettingsSchema } from '@imecd/core';
import { TRAINER_SETTINGS, type TrainerSettings } from '@imecd/recommender';
import { SettingsError } from './errors';
import { INPUT_SETTINGS, type InputSettings } from './feature-inputs';
import type { Hyperparameters, ModelRegistry } from './model-registry';
import type { RunSettings } from './run-config';

/** Settings a run starts from before the ones given as text: a dataset's tuned values, say. */
export interface Preset {
  train?: Partial<TrainerSettings>;
  hyperparameters?: Hyperparameters;
  /** Which input each modality reads (INPUT_SETTINGS), for models that read features. */
  inputs?: Partial<InputSettings>;
  /** Where the settings came from (a tuning run on validation, or the field's defaults). */
  note: string;
}

/** `key=value` (key: a setting name), or undefined when malformed. */
function splitAssignment(text: string): [key: string, value: string] | undefined {
  const match = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(text);
  return match ? [match[1]!, match[2]!] : undefined;
}

/** `key=value` texts as {key: value} (a later one wins); a malformed one is a SettingsError. */
export function parseAssignments(texts: readonly string[], source = '--set'): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const text of texts) {
    const pair = splitAssignment(text);
    if (!pair) throw new SettingsError(`${source} expects key=value, got "${text}"`);
    settings[pair[0]] = pair[1];
  }
  return settings;
}

/** `key=v1,v2` texts as {key: [v1, v2]}, the grid `tune` searches; a key given twice or an empty value is an error. */
export function parseGrid(texts: readonly string[], source = '--grid'): Record<string, string[]> {
  if (texts.length === 0) throw new SettingsError(`tune needs at least one ${source} key=v1,v2`);
  const grid: Record<string, string[]> = {};
  for (const text of texts) {
    const pair = splitAssignment(text);
    if (!pair) throw new SettingsError(`${source} expects key=v1,v2, got "${text}"`);
    const [key, list] = pair;
    if (key in grid) throw new SettingsError(`${source} ${key} given twice; list its values once`);
    const values = list.split(',').map((value) => value.trim());
    if (values.some((value) => value === '')) throw new SettingsError(`${source} ${key}: empty value in "${list}"`);
    grid[key] = values;
  }
  return grid;
}

/** The value `text` gives `key` of `schema` (its kind and range), or a SettingsError saying what it accepts. */
function parseValue(schema: UntypedSettingsSchema, key: string, text: string, source: string) {
  try {
    return schema.parse(key, text);
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    throw new SettingsError(`${source} ${key}: ${error.message.replace(`Invalid ${key}: `, '')}`);
  }
}

/**
 * A run's settings: the trainer's and `model`'s defaults, under `preset`, under `assignments` (text,
 * parsed by the schema of whichever owns the key). A key neither has is a SettingsError listing the
 * known ones.
 */
export function resolveRunSettings(
  registry: ModelRegistry,
  model: string,
  options: { preset?: Preset | undefined; assignments?: Readonly<Record<string, string>>; source?: string } = {},
): RunSettings {
  const { preset, assignments = {}, source = '--set' } = options;
  const train: Record<string, unknown> = { ...preset?.train };
  const hyperparameters: Record<string, unknown> = { ...preset?.hyperparameters };
  const inputs: Record<string, unknown> = { ...preset?.inputs };
  const { settings: schema, capabilities } = registry.get(model);
  for (const [key, text] of Object.entries(assignments)) {
    if (TRAINER_SETTINGS.has(key)) train[key] = parseValue(TRAINER_SETTINGS, key, text, source);
    else if (schema.has(key)) hyperparameters[key] = parseValue(schema, key, text, source);
    else if (INPUT_SETTINGS.has(key) && capabilities.readsFeatures)
      inputs[key] = parseValue(INPUT_SETTINGS, key, text, source);
    else {
      const known = [
        ...TRAINER_SETTINGS.keys,
        ...schema.keys,
        ...(capabilities.readsFeatures ? INPUT_SETTINGS.keys : []),
      ];
      const why = INPUT_SETTINGS.has(key) ? ` (${model} reads no features)` : '';
      throw new SettingsError(`unknown setting "${key}" for ${source} with ${model}${why}; known: ${known.join(', ')}`);
    }
  }
  return {
    // The schemas' resolve() lays the defaults under what is given.
    train: TRAINER_SETTINGS.resolve(train, 'the trainer'),
    hyperparameters: schema.resolve(hyperparameters, model),
    inputs: INPUT_SETTINGS.resolve(inputs, 'the inputs'),
    presetNote: preset?.note ?? 'field defaults (no tuned preset)',
  };
}

/** The registered models whose batches may be split over workers (capabilities.splittableLoss). */
export function splittableModels(registry: ModelRegistry): string[] {
  return registry.names.filter((name) => registry.get(name).capabilities.splittableLoss);
}

/**
 * Why `workers` > 1 threads per seed cannot train `model` — its loss is not a mean over positions
 * alone (capabilities.splittableLoss), so its batches cannot be split and recombined — or
 * undefined when they can. The one rule for new runs ({@link checkWorkers}) and resumed ones.
 */
export function workersProblem(registry: ModelRegistry, model: string, workers: number): string | undefined {
  if (workers <= 1 || registry.get(model).capabilities.splittableLoss) return undefined;
  const splittable = splittableModels(registry);
  const owners = splittable.map((name) => `${name}'s`);
  const listed =
    owners.length > 1
      ? `${owners.slice(0, -1).join(', ')} and ${owners.at(-1)} losses allow`
      : `${owners[0]} loss allows`;
  return `--workers splits batches across threads, which only ${listed} (${model} has terms computed across a batch); train seeds in parallel (seed processes, --jobs) instead`;
}

/** Refuses {@link workersProblem}'s cases with a SettingsError. */
export function checkWorkers(registry: ModelRegistry, model: string, workers: number): void {
  const problem = workersProblem(registry, model, workers);
  if (problem !== undefined) throw new SettingsError(problem);
}

/**
 * `assignments` as overrides of a trained `model`'s scoring (its capabilities' inferenceSettings,
 * what `evaluateRun` accepts); a setting that would touch the weights is a SettingsError.
 */
export function resolveInferenceOverrides(
  registry: ModelRegistry,
  model: string,
  assignments: Readonly<Record<string, string>>,
  source = '--set',
): Hyperparameters {
  if (!registry.has(model)) throw new SettingsError(`the run's model "${model}" is not one this registry knows`);
  const { settings: schema, capabilities } = registry.get(model);
  const allowed = capabilities.inferenceSettings;
  const overrides: Hyperparameters = {};
  for (const [key, text] of Object.entries(assignments)) {
    if (!allowed.includes(key)) {
      throw new SettingsError(
        `${source} ${key}: evaluate can only change settings that do not touch the weights; ${model} has ${allowed.length > 0 ? allowed.join(', ') : 'none'}`,
      );
    }
    overrides[key] = parseValue(schema, key, text, source);
  }
  return overrides;
}
