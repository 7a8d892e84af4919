import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ImecdError } from '@imecd/core';
import { discoverFeatureFiles, findAmazonFiles, loadDataset } from '@imecd/data-amazon';
import { createImageFetcher } from './images/create-image-fetcher';
import { encodeImageFeatures } from './images/encode-image-features';
import { readImageUrls } from './images/read-image-urls';
import {
  createTransformersImageEncoder,
  createTransformersTextEncoder,
} from './pretrained/create-transformers-encoders';
import { createTfidfTextEncoder } from './text/create-tfidf-text-encoder';
import { encodeTextFeatures } from './text/encode-text-features';
import { type ItemTextSource, itemTexts } from './text/item-texts';
import type { FeatureProgressEvent } from './writer/progress-events';
import type { WriteFeatureFilesResult } from './writer/write-feature-files';

/** A request that cannot be carried out as asked (nothing to encode, no text, no image URLs, a clash). */
export class FeatureRequestError extends ImecdError {
  constructor(message: string) {
    super('FEATURE_REQUEST', message);
  }
}

/** Options of {@link writeDatasetFeatures}. */
export interface WriteDatasetFeaturesArgs {
  /** The dataset's folder (read with `loadDataset`, its existing features ignored). Required. */
  dir: string;
  /** The dataset's name, for messages. Required. */
  name: string;
  /** Where the feature files go. Default: `dir`, where loading the dataset picks them up. */
  out?: string;
  /** `'tfidf'` (offline), `'none'`, or a pretrained text model (id or folder). Default `'tfidf'`. */
  textModel?: string;
  /** `'none'` or a pretrained image model (id or folder). Default `'none'`. */
  imageModel?: string;
  /** Width of the TF-IDF projection. Default 256. */
  dim?: number;
  /** Pooling of a pretrained text model, overriding its model card. Default: the card's. */
  pooling?: 'cls' | 'mean';
  /** Where pretrained models are found and in which precision. Default `{ dtype: 'fp32', allowRemote: false }`. */
  pretrained?: { modelDir?: string; dtype?: 'fp32' | 'q8'; allowRemote?: boolean };
  /** The Amazon meta file with the items' image URLs. Default: the one beside the raw reviews in `dir`. */
  metaFile?: string;
  /** Downloaded images. Default: `out/image-cache`. */
  imageCacheDir?: string;
  /** Image downloads at once. Default 8. */
  concurrency?: number;
  /** Progress, in the order things happen. */
  onEvent?: (event: DatasetFeaturesEvent) => void;
}

/** What one modality's run wrote. */
export interface ModalityFeaturesSummary {
  model: string;
  dim: number;
  missing: number;
  encodedNow: number;
  file: string;
  bytes: number;
  seconds: number;
}

export type DatasetFeaturesEvent =
  | { type: 'text-encoder'; modelName: string; pooling: string; dim: number; source: ItemTextSource }
  | { type: 'image-encoder'; modelName: string; dim: number; itemsWithUrl: number; items: number }
  | { type: 'progress'; modality: 'text' | 'image'; event: FeatureProgressEvent }
  | { type: 'written'; modality: 'text' | 'image'; itemCount: number; summary: ModalityFeaturesSummary };

export interface DatasetFeaturesSummary {
  dataset: string;
  items: number;
  out: string;
  text?: ModalityFeaturesSummary;
  image?: ModalityFeaturesSummary;
}

/**
 * Writes a dataset's item features (text.f32 / text.mask / text.manifest.json, image.* likewise),
 * rows aligned with its item ids; resumable, as the writers are. Throws FeatureRequestError for a
 * request that cannot be carried out, before anything is written.
 */
export async function writeDatasetFeatures(args: WriteDatasetFeaturesArgs): Promise<DatasetFeaturesSummary> {
  const { dir, name, textModel = 'tfidf', imageModel = 'none', dim = 256, pooling, onEvent = () => {} } = args;
  const out = args.out ?? dir;
  const pretrained = { dtype: 'fp32', allowRemote: false, ...args.pretrained } as const;
  if (textModel === 'none' && imageModel === 'none')
    throw new FeatureRequestError('nothing to do: --text-model none and no --image-model');
  // Features of another origin (e.g. scientific's .feat1CLS) would clash with ours on loading.
  const modalities = [...(textModel === 'none' ? [] : ['text']), ...(imageModel === 'none' ? [] : ['image'])];
  if (out === dir) {
    const clash = (await discoverFeatureFiles(dir)).find(
      (entry) => entry.manifest === undefined && modalities.includes(entry.modality),
    );
    if (clash !== undefined)
      throw new FeatureRequestError(
        `${clash.file} already holds ${clash.modality} features for "${name}"; write elsewhere with --out DIR`,
      );
  }
  // Existing feature files are not read: they may be the stale ones this run replaces.
  const dataset = await loadDataset(dir, { name, features: false });
  const summary: DatasetFeaturesSummary = { dataset: name, items: dataset.numItems, out };
  const progress = (modality: 'text' | 'image') => (event: FeatureProgressEvent) =>
    onEvent({ type: 'progress', modality, event });
  const written = (modality: 'text' | 'image', result: WriteFeatureFilesResult, started: number) => {
    const { manifest } = result;
    const file = join(out, manifest.values);
    const modalitySummary: ModalityFeaturesSummary = {
      model: manifest.modelName,
      dim: manifest.dim,
      missing: manifest.missingCount,
      encodedNow: result.encodedNow,
      file,
      bytes: statSync(file).size,
      seconds: (Date.now() - started) / 1000,
    };
    onEvent({ type: 'written', modality, itemCount: manifest.itemCount, summary: modalitySummary });
    return modalitySummary;
  };

  if (textModel !== 'none') {
    const { texts, source } = itemTexts(dataset);
    if (source === 'none')
      throw new FeatureRequestError(
        `dataset "${name}" has no item text (titles, meta text or attributes); use --text-model none`,
      );
    const encoder =
      textModel === 'tfidf'
        ? // Attribute ids are opaque tokens: their characters carry no meaning, so no character n-grams.
          createTfidfTextEncoder(
            texts.filter((text): text is string => text !== undefined),
            { dim, ...(source === 'attributes' ? { charNgrams: false as const } : {}) },
          )
        : await createTransformersTextEncoder({ model: textModel, ...pretrained, ...(pooling ? { pooling } : {}) });
    onEvent({ type: 'text-encoder', modelName: encoder.modelName, pooling: encoder.pooling, dim: encoder.dim, source });
    const started = Date.now();
    const result = await encodeTextFeatures({ dataset, encoder, dir: out, texts, onProgress: progress('text') });
    summary.text = written('text', result, started);
  }

  if (imageModel !== 'none') {
    const metaFile = args.metaFile ?? findAmazonFiles(dir)?.meta;
    if (metaFile === undefined)
      throw new FeatureRequestError(
        `images need the item image URLs: pass --meta FILE (an Amazon meta file covering "${name}")`,
      );
    const encoder = await createTransformersImageEncoder({ model: imageModel, ...pretrained });
    const imageUrls = await readImageUrls(metaFile, dataset.itemKeys);
    onEvent({
      type: 'image-encoder',
      modelName: encoder.modelName,
      dim: encoder.dim,
      itemsWithUrl: imageUrls.filter(Boolean).length,
      items: dataset.numItems,
    });
    const onProgress = progress('image');
    const fetcher = createImageFetcher({
      cacheDir: args.imageCacheDir ?? join(out, 'image-cache'),
      failureLog: join(out, 'image.failures.jsonl'),
      concurrency: args.concurrency ?? 8,
      onProgress,
    });
    const started = Date.now();
    const result = await encodeImageFeatures({ dataset, encoder, fetcher, imageUrls, dir: out, onProgress });
    summary.image = written('image', result, started);
  }
  return summary;
}
