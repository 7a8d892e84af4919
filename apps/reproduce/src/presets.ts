import { IMECD_VARIANT_NAMES } from '@imecd/imecd';
import { BATCHING_STRATEGIES, type BatchingStrategy, DEFAULT_BATCHING } from '@imecd/recommender';
import { parseSetNumber } from './cli-args';
import { type ModelName, modelDefaults } from './models';
import { UsageError } from './usage-error';

/** Trainer settings a run can change with --set. */
export interface TrainSettings {
  batchSize: number;
  learningRate: number;
  patience: number;
  epochs: number;
  /** How the trainer batches and weighs an epoch (see @imecd/recommender's BatchingStrategy). */
  batching: BatchingStrategy;
  /**
   * Most padded positions one gradient computation holds; bigger batches are stepped as parts with
   * their gradients summed (the trainer's maxStepPositions: the same step in less memory). 0: no limit.
   */
  maxStepPositions: number;
}

/**
 * The field's defaults (RecBole SASRec: batch 256, Adam 1e-3, patience 10 on validation NDCG@10),
 * with the trainer's unbiased length-bucketed batching.
 */
export const DEFAULT_TRAIN_SETTINGS: TrainSettings = {
  batchSize: 256,
  learningRate: 1e-3,
  patience: 10,
  epochs: 200,
  batching: DEFAULT_BATCHING,
  maxStepPositions: 0,
};

/**
 * Trainer settings whose default changed after runs were made without recording them: such a run
 * used the value here, not today's default (what --reuse fills in for a config that lacks one).
 */
const TRAIN_SETTINGS_BEFORE_RECORDED: Partial<TrainSettings> = { batching: 'length-bucketed' };

/**
 * The trainer settings a run folder's config stands for: those it records, and for settings it
 * predates, the value in force when it was made (what resuming and --reuse must use).
 */
export function recordedTrainSettings(recorded: Partial<TrainSettings>): TrainSettings {
  return { ...DEFAULT_TRAIN_SETTINGS, ...TRAIN_SETTINGS_BEFORE_RECORDED, ...recorded };
}

/** The value `--set key=text` gives a trainer setting, or a UsageError naming the key and what it accepts. */
function parseTrainSetting<K extends keyof TrainSettings>(key: K, text: string): TrainSettings[K] {
  if (key === 'maxStepPositions') {
    const value = parseSetNumber(key, text);
    if (!Number.isInteger(value) || value < 0)
      throw new UsageError(`--set maxStepPositions: expected a whole number ≥ 0 (0: no limit), got ${text}`);
    return value as TrainSettings[K];
  }
  if (key !== 'batching') return parseSetNumber(key, text) as TrainSettings[K];
  if (!(BATCHING_STRATEGIES as readonly string[]).includes(text)) {
    throw new UsageError(
      `--set batching: "${text}" is not a batching strategy; choose one of ${BATCHING_STRATEGIES.join(', ')}`,
    );
  }
  return text as TrainSettings[K];
}

export interface Preset {
  train?: Partial<TrainSettings>;
  hyperparameters?: Record<string, number | string>;
  /** Where the settings came from (a tuning run on validation, or the field's defaults). */
  note: string;
}

/**
 * The IMECD family (the fusion baseline, IMECD, its ablations) on a dataset where it was not searched:
 * the defaults chosen on scientific's validation, said so in every run's config.
 */
function untunedImecdFamily(
  dataset: string,
  extra: { train?: Partial<TrainSettings>; why?: string } = {},
): Partial<Record<ModelName, Preset>> {
  const note =
    `IMECD's defaults as chosen on scientific's validation; not searched on ${dataset} (each run there costs hours on a CPU)` +
    (extra.why ? `; ${extra.why}` : '');
  return Object.fromEntries(
    IMECD_VARIANT_NAMES.map((model) => [model, { note, ...(extra.train ? { train: extra.train } : {}) }]),
  );
}

/**
 * Per dataset and model, the settings `train` starts from; --set overrides them. Chosen on
 * validation NDCG@10 only, never on test.
 */
export const PRESETS: Record<string, Partial<Record<ModelName, Preset>>> = {
  scientific: {
    imecd: {
      note:
        "IMECD's defaults (packages/imecd/README.md), the generative reading. lambdaContrastive 0.01 chosen on validation NDCG@10, 3 seeds " +
        '(results/tune/scientific-imecd-contrastive-3seeds.md): 0.1 → 0.0826 ± 0.0013, 0.01 → 0.0851 ± 0.0009, and 0.1 with ' +
        'contrastiveTemperature 0.5 → 0.0847 ± 0.0003; without the term (imecd-no-contrastive) 0.0853 ± 0.0013, so the term does not ' +
        "help on validation. noiseScale 0.001 (DiffuRec's λ) against 0.1, seed 1: 0.0839 vs 0.0833 " +
        "(results/tune/scientific-imecd-noiseScale.md), so it stays; guidanceWeight 0.4 is DiQDiff's, not searched. featureScaling 'center-unit' was chosen on validation for the first reading " +
        '(0.0780 → 0.0793, 3 seeds); lambdaVq and codebookSize searches of the first reading moved valid NDCG@10 by about one seed-to-seed std',
    },
  },
  toys: {
    ...untunedImecdFamily('toys'),
    sasrec: {
      note:
        'field defaults (d 64, 2 layers, 2 heads, inner 256, dropout 0.5, lr 1e-3, batch 256, L 50, patience 10): ' +
        'no tuning needed, the test metrics of 3 seeds clear the published S3-Rec SASRec row',
    },
  },
  games: untunedImecdFamily('games'),
  'instruments-mm': untunedImecdFamily('instruments-mm', {
    train: { maxStepPositions: 4096 },
    why:
      'maxStepPositions 4096 because a 256 × 50 batch over 6,251 items needs ~1.9 GB per stream on wasm and three ' +
      "streams pass wasm32's 4 GiB heap (the step is the same batch's, its gradient summed over parts)",
  }),
};

/** Resolves defaults < preset < --set, rejecting keys that neither the trainer nor the model has. */
export function resolveSettings(
  dataset: string,
  model: ModelName,
  overrides: Record<string, string>,
): { train: TrainSettings; hyperparameters: Record<string, number | string>; presetNote: string } {
  const preset = PRESETS[dataset]?.[model];
  const train = { ...DEFAULT_TRAIN_SETTINGS, ...preset?.train };
  const hyperparameters = { ...modelDefaults(model), ...preset?.hyperparameters };
  for (const [key, text] of Object.entries(overrides)) {
    if (key in train) Object.assign(train, { [key]: parseTrainSetting(key as keyof TrainSettings, text) });
    else if (key in hyperparameters)
      hyperparameters[key] = typeof hyperparameters[key] === 'number' ? parseSetNumber(key, text) : text;
    else {
      const known = [...Object.keys(DEFAULT_TRAIN_SETTINGS), ...Object.keys(modelDefaults(model))];
      throw new UsageError(`unknown setting "${key}" for --set with ${model}; known: ${known.join(', ')}`);
    }
  }
  return { train, hyperparameters, presetNote: preset?.note ?? 'field defaults (no tuned preset)' };
}
