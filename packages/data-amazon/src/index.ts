/**
 * @file @imecd/data-amazon — Amazon review data as next-item datasets. Streaming readers of the
 * raw 2014/2018/2023 dumps and a downloader; `loadDataset`, which reads the folder layouts used
 * by sequential-recommendation code (S3-Rec/P5 sequential.txt, LC-Rec .inter.json, RecBole and
 * UniSRec atomic files, raw dumps); the pipeline behind it (iterative k-core, chronological
 * order, dense ids); a leave-one-out split with padding; and item feature matrices.
 */

export { padHistories } from '@imecd/core';
export { writeFileAtomic } from '@imecd/core/node';
// The download and readers folders each have an index that lists what of theirs is public.
export * from './download/index';
export { discoverFeatureFiles, type FeatureFileEntry } from './features/discover-feature-files';
export {
  datasetFingerprint,
  FEATURE_MANIFEST_FORMAT,
  FEATURE_MANIFEST_SUFFIX,
  type FeatureManifest,
  readFeatureManifest,
  readManifestFeatures,
} from './features/feature-manifest';
export { type ReadFeatureMatrixOptions, readFeatureMatrix } from './features/read-feature-matrix';
export { type ReadItemCodeIndexOptions, readItemCodeIndex } from './features/read-item-code-index';
export {
  type DatasetLayout,
  type DetectedLayout,
  detectLayout,
  type LoadDatasetOptions,
  loadDataset,
} from './layouts/load-dataset';
export {
  type BuildSequenceDatasetOptions,
  buildSequenceDataset,
  type IdOrder,
} from './pipeline/build-sequence-dataset';
export { type DatasetStatistics, datasetStatistics, type FeatureCoverage } from './pipeline/dataset-statistics';
export { itemIdsOf } from './pipeline/item-references';
export { iterativeKCore, type KCoreInput, type KCoreResult, type KCoreRound } from './pipeline/iterative-k-core';
export { type SplitLeaveOneOutOptions, splitLeaveOneOut } from './pipeline/split-leave-one-out';
export { type TrainingPairs, trainingPairs } from './pipeline/training-pairs';
export * from './readers/index';
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
