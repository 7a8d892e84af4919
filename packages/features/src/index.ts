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
