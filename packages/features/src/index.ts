/**
 * @file @imecd/features — item feature files for multimodal recommenders, made in Node: an
 * offline TF-IDF text encoder, image download (bounded concurrency, retries, cache, failure
 * log), an optional pretrained path through @huggingface/transformers, and a resumable writer
 * of `<modality>.f32` + `.mask` + `.manifest.json` that @imecd/data-amazon reads and checks.
 */
export type { EncoderInfo, ImageEncoder, ImageInput, TextEncoder } from './encoder';
export {
  createImageFetcher,
  type ImageFetcher,
  type ImageFetcherArgs,
  type ImageRequest,
} from './images/create-image-fetcher';
export { type EncodeImageFeaturesArgs, encodeImageFeatures } from './images/encode-image-features';
export { createImageCache, type ImageCache } from './images/image-cache';
export { readImageUrls } from './images/read-image-urls';
export {
  createTransformersImageEncoder,
  createTransformersTextEncoder,
  type TransformersEncoderArgs,
} from './pretrained/create-transformers-encoders';
export { MissingDependencyError, MissingModelError } from './pretrained/errors';
export { expectedFiles, KNOWN_MODELS, type ModelCard } from './pretrained/known-models';
export { loadTransformers, type TransformersModule } from './pretrained/load-transformers';
export { locateModel, type ModelLocation } from './pretrained/model-folder';
export { createTfidfTextEncoder, type TfidfTextEncoderArgs } from './text/create-tfidf-text-encoder';
export { type EncodeTextFeaturesArgs, encodeTextFeatures } from './text/encode-text-features';
export { type ItemTextSource, type ItemTexts, itemTexts } from './text/item-texts';
export {
  type DatasetFeaturesEvent,
  type DatasetFeaturesSummary,
  FeatureRequestError,
  type ModalityFeaturesSummary,
  type WriteDatasetFeaturesArgs,
  writeDatasetFeatures,
} from './write-dataset-features';
export type { FeatureProgressEvent, FeatureProgressListener } from './writer/progress-events';
export {
  type EncodedChunk,
  type WriteFeatureFilesArgs,
  type WriteFeatureFilesResult,
  writeFeatureFiles,
} from './writer/write-feature-files';
