/**
 * @file @imecd/experiments — experiments over models of the `RecommenderModel` contract: a model
 * registry (each model a factory, its settings schema and its capabilities), and `trainRuns`,
 * `tune`, `replicate` and `evaluateRun` as library functions over run folders (atomic checkpoints,
 * resume, reuse of matching runs, feature fingerprints, seed processes, gradient worker threads)
 * that report progress as typed events and print nothing. Backends are the caller's choice: this
 * package only imports `@tensorflow/tfjs-core` (through the model packages).
 */
// The registry and model directories, as in a browser; loadModelDirectory below also reads folders.

export { datasetFingerprint } from './dataset-fingerprint';
export { RunMismatchError, SettingsError, TrainingJobsError } from './errors';
export {
  checkEvaluatedSeeds,
  checkRunSettings,
  type EvaluateRunEvent,
  type EvaluateRunOptions,
  evaluateRun,
  type RunEvaluation,
} from './evaluate-run';
export { featureFingerprints, INPUT_SETTINGS, type InputSettings, modalityInputs } from './feature-inputs';
export { type GradientShardServerOptions, serveGradientShard } from './gradient-shard-server';
export { computeImprovement, type Improvement, type MetricImprovement, type ModelSummary, meanOf } from './improvement';
export { findMatchingRun } from './matching-run';
export { formatMetricCell, formatMetricsTable } from './metric-cell';
export { type ExportRunModelOptions, exportRunModel, loadModelDirectory } from './model-directory';
export * from './portable/index';
export {
  type BatchProgress,
  type BatchProgressState,
  createProgressLogger,
  type ExperimentEvent,
  type ProgressLoggerOptions,
} from './progress-logger';
export { describeProtocol, formatProtocol, type ProtocolDescription } from './protocol';
export { changedSettings, isReportName, type ReplicateEvent, type ReplicateOptions, replicate } from './replicate';
export { type ReplicationReport, type ReplicationRow, renderReplicationMarkdown } from './replication-report';
export {
  type RequestedSettings,
  type RunConfig,
  type RunSettings,
  recordedTrainSettings,
  type SeedMetrics,
  summarizeRun,
  type TrainSummary,
} from './run-config';
export { createRunDirectory, readJson, seedDirectory, writeJsonAtomic } from './run-directory';
export { listRunStatuses, type RunStatus, readRunStatus, type SeedStatus } from './run-status';
export type { SeedProcesses } from './seed-processes';
export {
  checkWorkers,
  type Preset,
  parseAssignments,
  parseGrid,
  resolveInferenceOverrides,
  resolveRunSettings,
} from './setting-assignments';
export {
  createTextProgressBar,
  formatBytes,
  formatDuration,
  type ProgressBar,
  type ProgressState,
  type TextProgressBarOptions,
} from './text-progress-bar';
export type { ProgressListener, TrainRunsEvent } from './train-events';
export {
  type NewRun,
  type ResumedRun,
  type RunnerOptions,
  type TrainRunsOptions,
  type TrainRunsResult,
  trainRuns,
} from './train-runs';
export { loadBestModel, openRun } from './trained-run';
export { readTrainingCurve, renderCurvesSvg, type TrainingCurve } from './training-curves';
export {
  cartesian,
  type TuneEntry,
  type TuneEvent,
  type TuneOptions,
  type TuneReport,
  type TuneValid,
  tune,
} from './tune';
export { createWorkerShards, GradientWorkerError, type WorkerSetup } from './worker-shards';
