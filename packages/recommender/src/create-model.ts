import { defineSettings, InvalidArgumentError } from '@imecd/core';
import { SEQUENCE_ENCODER_SETTINGS } from '@imecd/nn';
import type { RecommenderModel } from './model-contract';
import { createPop } from './pop';
import { createSasrec } from './sasrec';

/** Model names the factory knows. */
export const MODEL_NAMES = ['pop', 'sasrec', 'sasrec-bce'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** SASRec's settings: the encoder settings of @imecd/nn (RecBole's SASRec defaults) and its loss. */
export const SASREC_SETTINGS = defineSettings({
  ...SEQUENCE_ENCODER_SETTINGS,
  negativeSamples: {
    kind: 'integer',
    default: 0,
    min: 0,
    doc: '0: full softmax over every item (the loss of every model here); K > 0: sampled softmax against K uniform draws',
  },
  lossType: {
    kind: 'choice',
    default: 'ce',
    values: ['ce', 'bce'],
    doc: "'ce': softmax cross-entropy (full or sampled); 'bce': the original SASRec's BCE, one negative per position from outside the row's items",
  },
});

/**
 * SASRec as its paper trains it (lossType 'bce', one negative per position), the baseline most
 * published tables report: the encoder settings only, the loss is what the name says.
 */
export const SASREC_BCE_SETTINGS = defineSettings({ ...SEQUENCE_ENCODER_SETTINGS });

/** Pop's settings. */
export const POP_SETTINGS = defineSettings({
  // The encoder models' history length and range, so Pop scores from the same windows by default.
  maxLength: {
    ...SEQUENCE_ENCODER_SETTINGS.maxLength,
    doc: 'history positions a scorer reads (Pop ignores the order)',
  },
  countFrom: {
    kind: 'choice',
    default: 'train',
    values: ['train', 'all'],
    doc: "interactions counted: the training split only, or every interaction ('all' leaks the test items)",
  },
});

/** Each model's settings schema: defaults, ranges, `--set` parsing and its README table. */
export const MODEL_SETTINGS = {
  pop: POP_SETTINGS,
  sasrec: SASREC_SETTINGS,
  'sasrec-bce': SASREC_BCE_SETTINGS,
} as const;

/** The hyperparameters each model accepts, with their defaults (the field's SASRec settings). */
export const MODEL_DEFAULTS: Record<ModelName, Readonly<Record<string, number | string>>> = {
  pop: POP_SETTINGS.defaults,
  sasrec: SASREC_SETTINGS.defaults,
  'sasrec-bce': SASREC_BCE_SETTINGS.defaults,
};

/** Builds a model by name; unknown names or hyperparameters, or values out of range, are errors that say what is valid. */
export function createModel(
  name: string,
  options: { numItems: number; seed?: number; hyperparameters?: Readonly<Record<string, number | string | boolean>> },
): RecommenderModel {
  if (!(MODEL_NAMES as readonly string[]).includes(name)) {
    throw new InvalidArgumentError('model', `unknown model "${name}"; choose one of ${MODEL_NAMES.join(', ')}`);
  }
  if (name === 'pop') {
    const { maxLength, countFrom } = POP_SETTINGS.resolve(options.hyperparameters, 'pop');
    return createPop({ numItems: options.numItems, maxLength, countFrom });
  }
  if (name === 'sasrec-bce') {
    return createSasrec({
      numItems: options.numItems,
      seed: options.seed ?? 1,
      ...SASREC_BCE_SETTINGS.resolve(options.hyperparameters, 'sasrec-bce'),
      lossType: 'bce',
    });
  }
  return createSasrec({
    numItems: options.numItems,
    seed: options.seed ?? 1,
    ...SASREC_SETTINGS.resolve(options.hyperparameters, 'sasrec'),
  });
}
