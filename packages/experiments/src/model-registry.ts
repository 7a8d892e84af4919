import {
  type FeatureMatrix,
  InvalidArgumentError,
  type ItemCodes,
  type SettingSpecs,
  type SettingsOf,
  type SettingsSchema,
  type UntypedSettingsSchema,
} from '@imecd/core';
import type { RecommenderModel } from '@imecd/recommender';

/** A model's hyperparameters as a run records them: the values its settings schema allows. */
export type Hyperparameters = Record<string, number | string | boolean>;

/** Side information per modality that a model may read: a dense feature matrix or item codes. */
export type ModalityInputs = Partial<Record<'text' | 'image', FeatureMatrix | ItemCodes>>;

/** What a model's factory gets: the dataset's shape, a seed and its settings, resolved and typed. */
export interface ModelContext<H> {
  /** Items are 1..numItems; 0 is padding. */
  numItems: number;
  /** Seed of the initial weights and of everything random in the model. */
  seed: number;
  /** The model's settings: the schema's defaults overlaid with the run's values, each one checked. */
  hyperparameters: H;
  /** The dataset's side information (see `modalityInputs`); `{}` for a model that does not read features. */
  inputs: ModalityInputs;
}

/** What the run machinery may assume of a model without building it. */
export interface ModelCapabilities {
  /**
   * Reads the dataset's features: its runs record a fingerprint of each modality input, so `reuse`
   * never mixes two versions of the features, and a resumed run refuses changed ones.
   */
  readsFeatures: boolean;
  /**
   * Its loss is a mean over scored positions with nothing computed across a batch's rows, so a
   * batch may be split over worker threads (`workers` > 1) and the parts' gradients recombined.
   * Default false.
   */
  splittableLoss?: boolean;
  /** Settings that change only how a trained model scores, never its weights (what evaluateRun may override). */
  inferenceSettings: readonly string[];
}

/** One model as `registerModel` takes it. */
export interface ModelDefinition<D extends SettingSpecs> {
  /** The name runs record and commands take (`--model`). Unique in a registry. */
  name: string;
  /** Its settings, declared with `defineSettings` of @imecd/core: kinds, defaults, ranges. */
  settings: SettingsSchema<D>;
  capabilities: ModelCapabilities;
  /** Builds the model. The registry resolves the hyperparameters through `settings` first. */
  create(context: ModelContext<SettingsOf<D>>): RecommenderModel;
  /**
   * Settings whose default changed after runs were made without recording them: the value such a
   * run used, which rebuilding, resuming and `reuse` must assume. Default: none.
   */
  settingsBeforeRecorded?: Readonly<Hyperparameters>;
  /**
   * Settings this model never reads: two runs that differ only in them trained the same model, so
   * `reuse` does not tell them apart. Default: none.
   */
  unusedSettings?: readonly string[];
  /**
   * Checks that settings go together before any weights are read, for a run whose dataset has
   * `modalities` besides the IDs; throws an InvalidArgumentError naming the setting. Default: none.
   */
  check?(hyperparameters: SettingsOf<D>, modalities: readonly string[]): void;
}

/** A registered model, its settings seen without their declaration's types. */
export interface RegisteredModel {
  readonly name: string;
  readonly settings: UntypedSettingsSchema;
  readonly capabilities: Readonly<Required<ModelCapabilities>>;
}

/** Which models an experiment may build, by name; commands and run folders know models only through it. */
export interface ModelRegistry {
  /** Registered names, in registration order (the order of tables and help texts). */
  readonly names: readonly string[];
  /** Adds a model; a name registered already is an InvalidArgumentError. Returns the registry. */
  registerModel<D extends SettingSpecs>(definition: ModelDefinition<D>): ModelRegistry;
  has(name: string): boolean;
  /** The model registered as `name`; an unknown name is an InvalidArgumentError listing the known ones. */
  get(name: string): RegisteredModel;
  /** Builds `name`; unknown hyperparameters or values out of range are InvalidArgumentErrors naming them. */
  create(
    name: string,
    options: { numItems: number; seed: number; hyperparameters?: Readonly<Hyperparameters>; inputs?: ModalityInputs },
  ): RecommenderModel;
  /** The hyperparameters `name` accepts, with their defaults. */
  defaults(name: string): Hyperparameters;
  /**
   * What a run folder's recorded hyperparameters stand for: the defaults, for settings the run
   * predates the value in force when it was made (`settingsBeforeRecorded`), then what it records.
   */
  recordedHyperparameters(name: string, recorded: Readonly<Hyperparameters>): Hyperparameters;
  /** The recorded hyperparameters without those the model never reads: what makes two runs the same model. */
  identifyingHyperparameters(name: string, recorded: Readonly<Hyperparameters>): Hyperparameters;
  /** Runs the model's `check` (if it has one) on `hyperparameters`, resolved, for a run with `modalities`. */
  checkHyperparameters(name: string, hyperparameters: Readonly<Hyperparameters>, modalities?: readonly string[]): void;
}

interface Entry extends RegisteredModel {
  readonly before: Readonly<Hyperparameters>;
  readonly unused: ReadonlySet<string>;
  check(hyperparameters: Readonly<Hyperparameters>, modalities: readonly string[]): void;
  create(context: ModelContext<Readonly<Hyperparameters>>): RecommenderModel;
}

/** An empty registry; `createDefaultRegistry` returns one with the project's models. */
export function createModelRegistry(): ModelRegistry {
  const entries = new Map<string, Entry>();
  const entry = (name: string): Entry => {
    const found = entries.get(name);
    if (found === undefined)
      throw new InvalidArgumentError(
        'model',
        `unknown model "${name}"; choose one of ${[...entries.keys()].join(', ')}`,
      );
    return found;
  };
  const registry: ModelRegistry = {
    get names() {
      return [...entries.keys()];
    },
    registerModel(definition) {
      const { name, settings } = definition;
      if (entries.has(name)) throw new InvalidArgumentError('name', `model "${name}" is registered already`);
      // Resolved here, once for every caller: the factory and the check see typed, checked values.
      const resolve = (values: Readonly<Hyperparameters>) => settings.resolve(values, name);
      entries.set(name, {
        name,
        settings,
        capabilities: {
          readsFeatures: definition.capabilities.readsFeatures,
          splittableLoss: definition.capabilities.splittableLoss ?? false,
          inferenceSettings: [...definition.capabilities.inferenceSettings],
        },
        before: { ...definition.settingsBeforeRecorded },
        unused: new Set(definition.unusedSettings ?? []),
        check: (values, modalities) => {
          if (definition.check !== undefined) definition.check(resolve(values), modalities);
        },
        create: (context) => definition.create({ ...context, hyperparameters: resolve(context.hyperparameters) }),
      });
      return registry;
    },
    has: (name) => entries.has(name),
    get: (name) => {
      const { settings, capabilities } = entry(name);
      return { name, settings, capabilities };
    },
    create(name, { numItems, seed, hyperparameters = {}, inputs = {} }) {
      const found = entry(name);
      return found.create({ numItems, seed, hyperparameters, inputs: found.capabilities.readsFeatures ? inputs : {} });
    },
    defaults: (name) => ({ ...entry(name).settings.defaults }),
    recordedHyperparameters: (name, recorded) => ({ ...registry.defaults(name), ...entry(name).before, ...recorded }),
    identifyingHyperparameters(name, recorded) {
      const { unused } = entry(name);
      return Object.fromEntries(
        Object.entries(registry.recordedHyperparameters(name, recorded)).filter(([key]) => !unused.has(key)),
      );
    },
    checkHyperparameters: (name, hyperparameters, modalities = []) => entry(name).check(hyperparameters, modalities),
  };
  return registry;
}
