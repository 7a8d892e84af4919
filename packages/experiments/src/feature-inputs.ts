import { createHash } from 'node:crypto';
import type { SequenceDataset } from '@imecd/data-amazon';
import type { ModalityInputs } from './model-registry';

/**
 * What a model reads for each modality: the dataset's item codes where it has them, else its
 * feature matrix (a dataset with both for one modality trains on the codes).
 */
export function modalityInputs(dataset: SequenceDataset): ModalityInputs {
  const inputs: ModalityInputs = {};
  for (const modality of ['text', 'image'] as const) {
    const input = dataset.itemCodes?.[modality] ?? dataset.features[modality];
    if (input !== undefined) inputs[modality] = input;
  }
  return inputs;
}

/**
 * A fingerprint of each modality input a model would read (sha256 of its width, values or codes,
 * and mask), so a run records exactly which features it trained on and `reuse` never mixes two versions.
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
