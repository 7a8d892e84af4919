import type { SequenceDataset } from '@imecd/data-amazon';
import { aggregateRuns, type MeanStd } from '@imecd/metrics';
import { type MetricValues, TRAINER_SETTINGS, type TrainerSettings } from '@imecd/recommender';
import { INPUT_SETTINGS, type InputSettings, modalityInputs } from './feature-inputs';
import type { Hyperparameters, ModalityInputs, ModelRegistry } from './model-registry';
import type { ProtocolDescription } from './protocol';

/** The settings of one run, as its caller resolved them (e.g. defaults < preset < command line). */
export interface RunSettings {
  /** The trainer's settings (TRAINER_SETTINGS of @imecd/recommender). */
  train: TrainerSettings;
  /** The model's hyperparameters, as its settings schema allows. */
  hyperparameters: Hyperparameters;
  /** Which input each modality reads (INPUT_SETTINGS); only models that read features use it. */
  inputs: InputSettings;
  /** Where the settings came from (a tuning run on validation, or the field's defaults); kept in the config. */
  presetNote: string;
}

/**
 * The settings a new run asks for: what is left out takes the trainer's and the model's defaults
 * (their schemas check every value given, before any run folder is made).
 */
export interface RequestedSettings {
  train?: Readonly<Partial<TrainerSettings>>;
  hyperparameters?: Readonly<Hyperparameters>;
  /** Default: each modality reads the dataset's item codes where it has them, else its feature matrix. */
  inputs?: Readonly<Partial<InputSettings>>;
  /** Default: 'the defaults of the trainer and the model, with the values given'. */
  presetNote?: string;
}

/** What a run folder's config.json holds: enough to resume the run or to rebuild its model. */
export interface RunConfig extends Omit<RunSettings, 'inputs'> {
  /** The registry name of the model. */
  model: string;
  /** The dataset's name, and the folder it was loaded from. */
  dataset: string;
  datasetDir: string;
  /**
   * The dataset's fingerprint (datasetFingerprint): what reuse compares, so a run matches wherever
   * the same data is loaded. Absent in runs made before it was recorded: reuse compares their folder.
   */
  data?: string;
  seeds: number[];
  /** The backend it was trained on. */
  backend: string;
  protocol: ProtocolDescription;
  /** Threads per seed; absent means 1. Dropout masks depend on it. */
  workers?: number;
  /**
   * Models that read features: which input each modality reads. Absent in runs made before it was
   * recorded, which read the defaults (codes where the dataset has them, else features).
   */
  inputs?: InputSettings;
  /** Models that read features: each modality's fingerprint (see featureFingerprints). */
  features?: Record<string, string>;
}

/** One seed's result, its folder's metrics.json. */
export interface SeedMetrics {
  seed: number;
  valid: MetricValues;
  test: MetricValues;
  bestEpoch: number;
  epochsRun: number;
  secondsPerEpoch: number;
}

/** A run's result over its seeds: the run folder's metrics.json (and what `train --json` prints). */
export interface TrainSummary {
  model: string;
  dataset: string;
  backend: string;
  protocol: ProtocolDescription;
  seeds: number[];
  /** One seed's metrics, or mean ± std over several. */
  valid: Record<string, number | MeanStd>;
  test: Record<string, number | MeanStd>;
  epochs: number[];
  bestEpochs: number[];
  secondsPerEpoch: number;
  /** Wall-clock hours of all seeds' epochs (training and validation), added up. */
  hours: number;
  hyperparameters: Hyperparameters;
  train: TrainerSettings;
  /** Models that read features: which input each modality read (INPUT_SETTINGS). */
  inputs?: InputSettings;
  runDir: string;
}

/**
 * Trainer settings whose default changed after runs were made without recording them: such a run
 * used the value here, not today's default.
 */
const TRAIN_SETTINGS_BEFORE_RECORDED: Partial<TrainerSettings> = { batching: 'length-bucketed' };

/**
 * The trainer settings a run folder's config stands for: those it records, and for settings it
 * predates, the value in force when it was made (what resuming and reuse must use).
 */
export function recordedTrainSettings(recorded: Partial<TrainerSettings>): TrainerSettings {
  return { ...TRAINER_SETTINGS.defaults, ...TRAIN_SETTINGS_BEFORE_RECORDED, ...recorded };
}

/** The inputs a run folder's config stands for: those it records, else the defaults it was made with. */
export function recordedInputs(config: Pick<RunConfig, 'inputs'>): InputSettings {
  return { ...INPUT_SETTINGS.defaults, ...config.inputs };
}

/**
 * What a run's model reads of `dataset`: the inputs its config records (see recordedInputs), or
 * nothing for a model that reads no features. Training, loading and exporting a run all build its
 * model from this.
 */
export function runModalityInputs(
  registry: ModelRegistry,
  config: RunConfig,
  dataset: SequenceDataset,
): ModalityInputs {
  return registry.get(config.model).capabilities.readsFeatures ? modalityInputs(dataset, recordedInputs(config)) : {};
}

/** The summary of a run over the seeds in `perSeed`. */
export function summarizeRun(config: RunConfig, backend: string, runDir: string, perSeed: SeedMetrics[]): TrainSummary {
  const pick = (part: 'valid' | 'test') => {
    const runs = perSeed.map((run) => run[part] as Record<string, number>);
    return perSeed.length === 1 ? runs[0]! : aggregateRuns(runs);
  };
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    model: config.model,
    dataset: config.dataset,
    backend,
    protocol: config.protocol,
    seeds: config.seeds,
    valid: pick('valid'),
    test: pick('test'),
    epochs: perSeed.map((run) => run.epochsRun),
    bestEpochs: perSeed.map((run) => run.bestEpoch),
    secondsPerEpoch: mean(perSeed.map((run) => run.secondsPerEpoch)),
    hours: perSeed.reduce((sum, run) => sum + run.epochsRun * run.secondsPerEpoch, 0) / 3600,
    hyperparameters: config.hyperparameters,
    train: config.train,
    ...(config.features !== undefined ? { inputs: recordedInputs(config) } : {}),
    runDir,
  };
}
