/**
 * @file @imecd/features — item feature files for multimodal recommenders, made in Node: an
 * offline TF-IDF text encoder, image download (bounded concurrency, retries, cache, failure
 * log), an optional pretrained path through @huggingface/transformers, and a resumable writer
 * of `<modality>.f32` + `.mask` + `.manifest.json` that @imecd/data-amazon reads and checks.
 */
export type { EncoderInfo, ImageEncoder, ImageInput, TextEncoder } from './encoder';
export type { ImageFetcher, ImageFetcherArgs, ImageRequest } from './images/create-image-fetcher';
export { createImageFetcher } from './images/create-image-fetcher';
export type { EncodeImageFeaturesArgs } from './images/encode-image-features';
export { encodeImageFeatures } from './images/encode-image-features';
export type { ImageCache } from './images/image-cache';
export { createImageCache } from './images/image-cache';
export { readImageUrls } from './images/read-image-urls';
export type { TransformersEncoderArgs } from './pretrained/create-transformers-encoders';
export {
  createTransformersImageEncoder,
  createTransformersTextEncoder,
} from './pretrained/create-transformers-encoders';
export { MissingDependencyError, MissingModelError } from './pretrained/errors';
export type { ModelCard } from './pretrained/known-models';
export { expectedFiles, KNOWN_MODELS } from './pretrained/known-models';
export type { TransformersModule } from './pretrained/load-transformers';
export { loadTransformers } from './pretrained/load-transformers';
export type { ModelLocation } from './pretrained/model-folder';
export { locateModel } from './pretrained/model-folder';
export type { TfidfTextEncoderArgs } from './text/create-tfidf-text-encoder';
export { createTfidfTextEncoder } from './text/create-tfidf-text-encoder';
export type { EncodeTextFeaturesArgs } from './text/encode-text-features';
export { encodeTextFeatures } from './text/encode-text-features';
export type { ItemTextSource, ItemTexts } from './text/item-texts';
export { itemTexts } from './text/item-texts';
export type {
  DatasetFeaturesEvent,
  DatasetFeaturesSummary,
  ModalityFeaturesSummary,
  WriteDatasetFeaturesArgs,
} from './write-dataset-features';
export { FeatureRequestError, writeDatasetFeatures } from './write-dataset-features';
export type { FeatureProgressEvent, FeatureProgressListener } from './writer/progress-events';
export type { EncodedChunk, WriteFeatureFilesArgs, WriteFeatureFilesResult } from './writer/write-feature-files';
export { writeFeatureFiles } from './writer/write-feature-files';
