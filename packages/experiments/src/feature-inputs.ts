import { createHash } from 'node:crypto';
import { defineSettings, type SettingsOf } from '@imecd/core';
import type { SequenceDataset } from '@imecd/data-amazon';
import { SettingsError } from './errors';
import type { ModalityInputs } from './model-registry';

/** The modalities a model may read besides item IDs, in the order runs record them. */
const MODALITIES = ['text', 'image'] as const;

/** What one modality of a run reads. */
const INPUT_SOURCES = ['auto', 'codes', 'features', 'none'] as const;

/**
 * Which of a dataset's inputs a run reads for each modality. A dataset may hold item codes and a
 * feature matrix for one modality (games: LLaMA-text codes and title TF-IDF); which one carries more
 * signal is a per-dataset question answered on validation, so it is a run setting, recorded in the
 * run's config and given with `--set` like a hyperparameter. `none` leaves the modality out (a
 * modality ablation).
 */
export const INPUT_SETTINGS = defineSettings({
  textInput: {
    kind: 'choice',
    default: 'auto',
    values: INPUT_SOURCES,
    doc: "what the text modality reads: 'auto' its item codes where the dataset has them, else its feature matrix; 'codes'; 'features'; 'none' (left out)",
  },
  imageInput: {
    kind: 'choice',
    default: 'auto',
    values: INPUT_SOURCES,
    doc: "what the image modality reads: 'auto' its item codes where the dataset has them, else its feature matrix; 'codes'; 'features'; 'none' (left out)",
  },
});

/** A run's input choices, typed. */
export type InputSettings = SettingsOf<typeof INPUT_SETTINGS.specs>;

const SETTING_OF = { text: 'textInput', image: 'imageInput' } as const;

/**
 * What a model reads for each modality, as `sources` choose (default: the dataset's item codes where
 * it has them, else its feature matrix). Asking for codes or features the dataset lacks is a
 * SettingsError naming what it has.
 */
export function modalityInputs(
  dataset: SequenceDataset,
  sources: Readonly<Partial<InputSettings>> = {},
): ModalityInputs {
  const inputs: ModalityInputs = {};
  for (const modality of MODALITIES) {
    const key = SETTING_OF[modality];
    const source = sources[key] ?? INPUT_SETTINGS.defaults[key];
    const codes = dataset.itemCodes?.[modality];
    const features = dataset.features[modality];
    const input = { auto: codes ?? features, codes, features, none: undefined }[source];
    if (source !== 'auto' && source !== 'none' && input === undefined) {
      const has = [codes && `${modality} codes`, features && `${modality} features`].filter(Boolean);
      throw new SettingsError(
        `${key}=${source}: the dataset has no ${modality} ${source} (it has ${has.length > 0 ? has.join(' and ') : `no ${modality} input`})`,
      );
    }
    if (input !== undefined) inputs[modality] = input;
  }
  return inputs;
}

/**
 * A fingerprint of each modality input a model would read (sha256 of its width, values or codes,
 * and mask), so a run records exactly which features it trained on and `reuse` never mixes two versions.
 */
export function featureFingerprints(
  dataset: SequenceDataset,
  sources: Readonly<Partial<InputSettings>> = {},
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(modalityInputs(dataset, sources)).map(([modality, input]) => {
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
