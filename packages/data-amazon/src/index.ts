/**
 * @file @imecd/data-amazon — Amazon review data as next-item datasets. Streaming readers of the
 * raw 2014/2018/2023 dumps and a downloader; `loadDataset`, which reads the folder layouts used
 * by sequential-recommendation code (S3-Rec/P5 sequential.txt, LC-Rec .inter.json, RecBole and
 * UniSRec atomic files, raw dumps); the pipeline behind it (iterative k-core, chronological
 * order, dense ids); a leave-one-out split with padding; and item feature matrices.
 */

export { padHistories } from '@imecd/core';
export { writeFileAtomic } from '@imecd/core/node';
export type {
  Amazon2018Download,
  ChecksumEntry,
  DownloadAmazon2018Options,
  DownloadEvent,
  DownloadOptions,
  DownloadResult,
  OfflineDetails,
} from './download/index';
export {
  AMAZON_2018_DOWNLOADS,
  CHECKSUMS_FILE,
  DownloadError,
  downloadAmazon2018,
  downloadFile,
  OfflineError,
  readChecksums,
  verifyChecksums,
  verifyGzip,
  writeChecksums,
} from './download/index';
export type { FeatureFileEntry } from './features/discover-feature-files';
export { discoverFeatureFiles } from './features/discover-feature-files';
export type { FeatureManifest } from './features/feature-manifest';
export {
  datasetFingerprint,
  FEATURE_MANIFEST_FORMAT,
  FEATURE_MANIFEST_SUFFIX,
  readFeatureManifest,
  readManifestFeatures,
} from './features/feature-manifest';
export type { ReadFeatureMatrixOptions } from './features/read-feature-matrix';
export { readFeatureMatrix } from './features/read-feature-matrix';
export type { ReadItemCodeIndexOptions } from './features/read-item-code-index';
export { readItemCodeIndex } from './features/read-item-code-index';
export type { DatasetLayout, DetectedLayout, LoadDatasetOptions } from './layouts/load-dataset';
export { detectLayout, loadDataset } from './layouts/load-dataset';
export type { BuildSequenceDatasetOptions, IdOrder } from './pipeline/build-sequence-dataset';
export { buildSequenceDataset } from './pipeline/build-sequence-dataset';
export type { DatasetStatistics, FeatureCoverage } from './pipeline/dataset-statistics';
export { datasetStatistics } from './pipeline/dataset-statistics';
export { itemIdsOf } from './pipeline/item-references';
export type { KCoreInput, KCoreResult, KCoreRound } from './pipeline/iterative-k-core';
export { iterativeKCore } from './pipeline/iterative-k-core';
export type { SplitLeaveOneOutOptions } from './pipeline/split-leave-one-out';
export { splitLeaveOneOut } from './pipeline/split-leave-one-out';
export type { TrainingPairs } from './pipeline/training-pairs';
export { trainingPairs } from './pipeline/training-pairs';
export type { AmazonFiles, AmazonFormat, AmazonReaderOptions, ReadLinesOptions, TextLine } from './readers/index';
export {
  cleanItemText,
  decodeHtmlEntities,
  findAmazonFiles,
  parsePythonLiteral,
  readAmazonMeta,
  readAmazonReviews,
  readLines,
} from './readers/index';
export type {
  EvaluationSet,
  FeatureMatrix,
  ItemCodes,
  LeaveOneOutSplit,
  RawInteraction,
  RawItemMeta,
  SequenceDataset,
  TrainingSequences,
} from './types';
