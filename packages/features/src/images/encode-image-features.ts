import type { SequenceDataset } from '@imecd/data-amazon';
import type { ImageEncoder, ImageInput } from '../encoder';
import type { FeatureProgressListener } from '../writer/progress-events';
import { type WriteFeatureFilesResult, writeFeatureFiles } from '../writer/write-feature-files';
import type { ImageFetcher } from './create-image-fetcher';

/** Options of `encodeImageFeatures`. */
export interface EncodeImageFeaturesArgs {
  dataset: SequenceDataset;
  encoder: ImageEncoder;
  /** Downloads (and caches) the images. Required. */
  fetcher: ImageFetcher;
  /** Main image URL per item id (see `readImageUrls`); undefined = no image. Required. */
  imageUrls: readonly (string | undefined)[];
  /** Output folder. Required. */
  dir: string;
  /** Items per saved chunk. Default 64. */
  chunkSize?: number;
  onProgress?: FeatureProgressListener;
  signal?: AbortSignal;
}

/**
 * Downloads and encodes every item's main image into `image.f32` / `image.mask` /
 * `image.manifest.json` (resumable, see `writeFeatureFiles`). An item without a URL, whose
 * download failed or whose bytes the encoder cannot decode is missing (mask 0), never filled in.
 */
export async function encodeImageFeatures(args: EncodeImageFeaturesArgs): Promise<WriteFeatureFilesResult> {
  const { encoder, fetcher, imageUrls, chunkSize = 64, signal } = args;
  return writeFeatureFiles({
    ...args,
    chunkSize,
    modality: 'image',
    async encodeChunk(items) {
      const requests = [...items].flatMap((item) =>
        imageUrls[item] === undefined ? [] : [{ item, url: imageUrls[item]! }],
      );
      const images = await fetcher.fetchAll(requests, signal);
      const rowOf = new Map([...items].map((item, row) => [item, row]));
      const got = requests.flatMap((request, index) =>
        images[index] === undefined ? [] : [{ row: rowOf.get(request.item)!, image: images[index]! }],
      );
      const values = new Float32Array(items.length * encoder.dim);
      const present = new Uint8Array(items.length);
      const encoded = await encodeEach(
        encoder,
        got.map(({ image }) => image),
        signal,
      );
      got.forEach(({ row }, index) => {
        const vector = encoded[index];
        if (vector === undefined) return;
        values.set(vector, row * encoder.dim);
        present[row] = 1;
      });
      return { values, present };
    },
  });
}

/** Encodes the batch; if the encoder rejects it, encodes one by one so one bad file costs only itself. */
async function encodeEach(
  encoder: ImageEncoder,
  images: ImageInput[],
  signal: AbortSignal | undefined,
): Promise<(Float32Array | undefined)[]> {
  if (images.length === 0) return [];
  const rowsOf = (values: Float32Array) =>
    images.map((_, index) => values.subarray(index * encoder.dim, (index + 1) * encoder.dim));
  try {
    return rowsOf(await encoder.encode(images, { signal }));
  } catch (error) {
    if (signal?.aborted) throw error;
    return Promise.all(
      images.map((image) =>
        encoder.encode([image], { signal }).then(
          (values) => values as Float32Array | undefined,
          () => undefined,
        ),
      ),
    );
  }
}
