/**
 * @file @imecd/features — item feature files for multimodal recommenders, made in Node: an
 * offline TF-IDF text encoder, image download (bounded concurrency, retries, cache, failure
 * log), an optional pretrained path through @huggingface/transformers, and a resumable writer
 * of `<modality>.f32` + `.mask` + `.manifest.json` that @imecd/data-amazon reads and checks.
 */
export type { EncoderInfo, TextEncoder, ImageEncoder, ImageInput } from './encoder';
export { createTfidfTextEncoder } from './text/create-tfidf-text-encoder';
export type { TfidfTextEncoderArgs } from './text/create-tfidf-text-encoder';
export { itemTexts } from './text/item-texts';
export type { ItemTexts, ItemTextSource } from './text/item-texts';
export { encodeTextFeatures } from './text/encode-text-features';
export type { EncodeTextFeaturesArgs } from './text/encode-text-features';
export { writeFeatureFiles } from './writer/write-feature-files';
export type { EncodedChunk, WriteFeatureFilesArgs, WriteFeatureFilesResult } from './writer/write-feature-files';
export type { FeatureProgressEvent, FeatureProgressListener } from './writer/progress-events';
export { readImageUrls } from './images/read-image-urls';
export { createImageFetcher } from './images/create-image-fetcher';
export type { ImageFetcher, ImageFetcherArgs, ImageRequest } from './images/create-image-fetcher';
export { createImageCache } from './images/image-cache';
export type { ImageCache } from './images/image-cache';
export { encodeImageFeatures } from './images/encode-image-features';
export type { EncodeImageFeaturesArgs } from './images/encode-image-features';
export { createTransformersTextEncoder, createTransformersImageEncoder } from './pretrained/create-transformers-encoders';
export type { TransformersEncoderArgs } from './pretrained/create-transformers-encoders';
export { loadTransformers } from './pretrained/load-transformers';
export type { TransformersModule } from './pretrained/load-transformers';
export { KNOWN_MODELS, expectedFiles } from './pretrained/known-models';
export type { ModelCard } from './pretrained/known-models';
export { locateModel } from './pretrained/model-folder';
export type { ModelLocation } from './pretrained/model-folder';
export { MissingDependencyError, MissingModelError } from './pretrained/errors';
