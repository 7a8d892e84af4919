/**
 * @file @imecd/experiments — experiments over models of the `RecommenderModel` contract: a model
 * registry (each model a factory, its settings schema and its capabilities), and `trainRuns`,
 * `tune`, `replicate` and `evaluateRun` as library functions over run folders (atomic checkpoints,
 * resume, reuse of matching runs, feature fingerprints, seed processes, gradient worker threads)
 * that report progress as typed events and print nothing. Backends are the caller's choice: this
 * package only imports `@tensorflow/tfjs-core` (through the model packages).
 */
export { createDefaultRegistry } from './default-registry';
export { RunMismatchError, TrainingJobsError } from './errors';
export type { EvaluateRunEvent, EvaluateRunOptions, RunEvaluation } from './evaluate-run';
export { checkRunSettings, evaluateRun } from './evaluate-run';
export { featureFingerprints, modalityInputs } from './feature-inputs';
export type { GradientShardServerOptions } from './gradient-shard-server';
export { serveGradientShard } from './gradient-shard-server';
export type { Improvement, MetricImprovement, ModelSummary } from './improvement';
export { computeImprovement, meanOf } from './improvement';
export { findMatchingRun } from './matching-run';
export { formatMetricCell, formatMetricsTable } from './metric-cell';
export type { ExportRunModelOptions } from './model-directory';
export { exportRunModel, loadModelDirectory } from './model-directory';
export type {
  Hyperparameters,
  ModalityInputs,
  ModelCapabilities,
  ModelContext,
  ModelDefinition,
  ModelRegistry,
  RegisteredModel,
} from './model-registry';
export { createModelRegistry } from './model-registry';
export type {
  Catalogue,
  EncodeModelDirectoryArgs,
  LoadedModel,
  LoadModelDirectoryOptions,
  ModelCard,
  ModelDirectoryFiles,
  ModelDirectoryReader,
  ModelDirectorySource,
  ModelFileMetadata,
  ModelJson,
  StoredInput,
  WeightSpec,
} from './portable/index';
export {
  CATALOGUE_JSON,
  encodeModelDirectory,
  loadFromReader,
  MODEL_FILE_FORMAT,
  MODEL_FILE_VERSION,
  MODEL_JSON,
} from './portable/index';
export type { BatchProgress, BatchProgressState, ExperimentEvent, ProgressLoggerOptions } from './progress-logger';
export { createProgressLogger } from './progress-logger';
export type { ProtocolDescription } from './protocol';
export { describeProtocol, formatProtocol } from './protocol';
export type { ReplicateEvent, ReplicateOptions } from './replicate';
export { replicate } from './replicate';
export type { ReplicationReport, ReplicationRow } from './replication-report';
export { renderReplicationMarkdown } from './replication-report';
export type { RequestedSettings, RunConfig, RunSettings, SeedMetrics, TrainSummary } from './run-config';
export { recordedTrainSettings, summarizeRun } from './run-config';
export { createRunDirectory, readJson, seedDirectory, writeJsonAtomic } from './run-directory';
export type { SeedProcesses } from './seed-processes';
export type { Preset } from './setting-assignments';
export {
  checkWorkers,
  parseAssignments,
  parseGrid,
  resolveInferenceOverrides,
  resolveRunSettings,
  SettingsError,
} from './setting-assignments';
export type { ProgressBar, ProgressState, TextProgressBarOptions } from './text-progress-bar';
export { createTextProgressBar, formatBytes, formatDuration } from './text-progress-bar';
export type { ProgressListener, TrainRunsEvent } from './train-events';
export type { NewRun, ResumedRun, RunnerOptions, TrainRunsOptions, TrainRunsResult } from './train-runs';
export { trainRuns } from './train-runs';
export { loadBestModel, openRun } from './trained-run';
export type { TrainingCurve } from './training-curves';
export { readTrainingCurve, renderCurvesSvg } from './training-curves';
export type { TuneEntry, TuneEvent, TuneOptions, TuneReport, TuneValid } from './tune';
export { cartesian, tune } from './tune';
export type { WorkerSetup } from './worker-shards';
export { createWorkerShards, GradientWorkerError } from './worker-shards';
