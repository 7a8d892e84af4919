import { createHash } from 'node:crypto';
import type { SequenceDataset } from '@imecd/data-amazon';

/**
 * `sha256:` of what a run trains and is tested on: the item count and every user's item sequence,
 * in user order. Runs record it (config.json `data`) so that `--reuse` knows a run by its data, not
 * by the folder the data was loaded from: a run committed to the repository, or made in another
 * checkout, matches wherever the same dataset is loaded. Item keys and text do not enter; features
 * have fingerprints of their own (featureFingerprints).
 */
export function datasetFingerprint(dataset: Pick<SequenceDataset, 'numItems' | 'sequences'>): string {
  const hash = createHash('sha256').update(`items:${dataset.numItems};users:${dataset.sequences.length};`);
  const length = new Int32Array(1);
  for (const sequence of dataset.sequences) {
    // Each sequence is preceded by its length, so [1 2][3] and [1][2 3] hash apart.
    length[0] = sequence.length;
    hash.update(new Uint8Array(length.buffer));
    hash.update(new Uint8Array(sequence.buffer, sequence.byteOffset, sequence.byteLength));
  }
  return `sha256:${hash.digest('hex')}`;
}
