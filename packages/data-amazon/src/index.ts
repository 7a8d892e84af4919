/**
 * @file @imecd/data-amazon — Amazon review data as next-item datasets. Streaming readers of the
 * raw 2014/2018/2023 dumps and a downloader; `loadDataset`, which reads the folder layouts used
 * by sequential-recommendation code (S3-Rec/P5 sequential.txt, LC-Rec .inter.json, RecBole and
 * UniSRec atomic files, raw dumps); the pipeline behind it (iterative k-core, chronological
 * order, dense ids); a leave-one-out split with padding; and item feature matrices.
 */
export type {
  RawInteraction,
  RawItemMeta,
  FeatureMatrix,
  ItemCodes,
  SequenceDataset,
  EvaluationSet,
  TrainingSequences,
  LeaveOneOutSplit,
} from './types';

export { buildSequenceDataset } from './pipeline/build-sequence-dataset';
export type { BuildSequenceDatasetOptions, IdOrder } from './pipeline/build-sequence-dataset';
export { iterativeKCore } from './pipeline/iterative-k-core';
export type { KCoreInput, KCoreResult, KCoreRound } from './pipeline/iterative-k-core';
export { splitLeaveOneOut } from './pipeline/split-leave-one-out';
export type { SplitLeaveOneOutOptions } from './pipeline/split-leave-one-out';
export { trainingPairs } from './pipeline/training-pairs';
export type { TrainingPairs } from './pipeline/training-pairs';
export { padHistories } from './pipeline/pad-histories';
export { datasetStatistics } from './pipeline/dataset-statistics';
export type { DatasetStatistics } from './pipeline/dataset-statistics';

export { loadDataset, detectLayout } from './layouts/load-dataset';
export type { DatasetLayout, DetectedLayout, LoadDatasetOptions } from './layouts/load-dataset';

export { readFeatureMatrix } from './features/read-feature-matrix';
export type { ReadFeatureMatrixOptions } from './features/read-feature-matrix';
export { readItemCodeIndex } from './features/read-item-code-index';
export type { ReadItemCodeIndexOptions } from './features/read-item-code-index';
export { discoverFeatureFiles } from './features/discover-feature-files';
export type { FeatureFileEntry } from './features/discover-feature-files';
export {
  datasetFingerprint,
  readFeatureManifest,
  readManifestFeatures,
  FEATURE_MANIFEST_FORMAT,
  FEATURE_MANIFEST_SUFFIX,
} from './features/feature-manifest';
export type { FeatureManifest } from './features/feature-manifest';

export {
  readLines,
  readAmazonReviews,
  readAmazonMeta,
  parsePythonLiteral,
  cleanItemText,
  decodeHtmlEntities,
  findAmazonFiles,
} from './readers/index';
export type { ReadLinesOptions, TextLine, AmazonFormat, AmazonReaderOptions, AmazonFiles } from './readers/index';

export { writeFileAtomic } from './write-file-atomic';

export {
  downloadFile,
  downloadAmazon2018,
  AMAZON_2018_DOWNLOADS,
  readChecksums,
  verifyChecksums,
  writeChecksums,
  CHECKSUMS_FILE,
  verifyGzip,
  OfflineError,
  DownloadError,
} from './download/index';
export type {
  DownloadEvent,
  DownloadOptions,
  DownloadResult,
  Amazon2018Download,
  DownloadAmazon2018Options,
  ChecksumEntry,
  OfflineDetails,
} from './download/index';
