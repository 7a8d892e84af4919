/**
 * @file @imecd/backend — the one place that chooses the TensorFlow.js backend for @imecd apps
 * (tensorflow-gpu, tensorflow, wasm, cpu; `IMECD_BACKEND` or an option overrides the order) and
 * registers the kernels that make training work and fast on wasm: a linear-time
 * `UnsortedSegmentSum`, the gradient of `tf.gather`, which wasm lacks and cpu runs in quadratic time,
 * and a row-copying `GatherV2` wrapper around wasm's own kernel.
 * Importing it imports `@tensorflow/tfjs`, so every op and gradient is registered.
 */
export { selectBackend, lastBackendSelection } from './select-backend';
export type { SelectBackendOptions, BackendSelection, BackendAttempt, TensorFlow } from './select-backend';
export { describeBackend } from './describe-backend';
export type { BackendDescription } from './describe-backend';
export { BACKEND_NAMES, parseBackendChoice } from './backend-names';
export type { BackendName, BackendChoice } from './backend-names';
export { DEFAULT_BACKEND_LOADERS, BACKEND_FIXES } from './backend-loaders';
export type { BackendLoader, LoadedBackend, LoaderContext } from './backend-loaders';
export { BackendUnavailableError } from './backend-unavailable-error';
export { registerFastKernels } from './register-fast-kernels';
export { createUnsortedSegmentSumKernel, sumSegments } from './unsorted-segment-sum';
export type { SegmentSumBackend, SegmentSumDtype } from './unsorted-segment-sum';
