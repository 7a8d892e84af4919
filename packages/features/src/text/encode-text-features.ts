import type { SequenceDataset } from '@imecd/data-amazon';
import type { TextEncoder } from '../encoder';
import type { FeatureProgressListener } from '../writer/progress-events';
import { type WriteFeatureFilesResult, writeFeatureFiles } from '../writer/write-feature-files';
import { itemTexts } from './item-texts';

/** Options of `encodeTextFeatures`. */
export interface EncodeTextFeaturesArgs {
  dataset: SequenceDataset;
  encoder: TextEncoder;
  /** Output folder. Required. */
  dir: string;
  /** Per-item texts (index = item id); default `itemTexts(dataset).texts`. */
  texts?: readonly (string | undefined)[];
  /** Items per saved chunk. Default 256. */
  chunkSize?: number;
  onProgress?: FeatureProgressListener;
  signal?: AbortSignal;
}

/**
 * Encodes every item's text into `text.f32` / `text.mask` / `text.manifest.json` in `dir`
 * (resumable, see `writeFeatureFiles`). Items without text are missing, never encoded from "".
 */
export async function encodeTextFeatures(args: EncodeTextFeaturesArgs): Promise<WriteFeatureFilesResult> {
  const { encoder, signal } = args;
  const texts = args.texts ?? itemTexts(args.dataset).texts;
  return writeFeatureFiles({
    ...args,
    modality: 'text',
    async encodeChunk(items) {
      const present = Uint8Array.from(items, (item) => (texts[item] === undefined ? 0 : 1));
      const rowsWithText = [...items.keys()].filter((row) => present[row] === 1);
      const encoded = await encoder.encode(
        rowsWithText.map((row) => texts[items[row]!]!),
        { signal },
      );
      const values = new Float32Array(items.length * encoder.dim);
      rowsWithText.forEach((row, index) => {
        values.set(encoded.subarray(index * encoder.dim, (index + 1) * encoder.dim), row * encoder.dim);
      });
      return { values, present };
    },
  });
}
