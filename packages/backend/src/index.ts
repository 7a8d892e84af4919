/**
 * @file @imecd/backend — the one place that chooses the TensorFlow.js backend for @imecd apps
 * (tensorflow-gpu, tensorflow, webgpu, wasm, cpu; `IMECD_BACKEND` or an option overrides the order) and
 * registers the kernels that make training work and fast on wasm: a linear-time
 * `UnsortedSegmentSum`, the gradient of `tf.gather`, which wasm lacks and cpu runs in quadratic time,
 * and a row-copying `GatherV2` wrapper around wasm's own kernel.
 * Importing it imports `@tensorflow/tfjs`, so every op and gradient is registered.
 */

export type { BackendLoader, LoadedBackend, LoaderContext } from './backend-loaders';
export { BACKEND_FIXES, DEFAULT_BACKEND_LOADERS } from './backend-loaders';
export type { BackendChoice, BackendName } from './backend-names';
export { BACKEND_NAMES, parseBackendChoice } from './backend-names';
export { BackendUnavailableError } from './backend-unavailable-error';
export type { BackendDescription } from './describe-backend';
export { describeBackend } from './describe-backend';
export { registerFastKernels } from './register-fast-kernels';
export type { BackendAttempt, BackendSelection, SelectBackendOptions, TensorFlow } from './select-backend';
export { lastBackendSelection, selectBackend } from './select-backend';
export type { SegmentSumBackend, SegmentSumDtype } from './unsorted-segment-sum';
export { createUnsortedSegmentSumKernel, sumSegments } from './unsorted-segment-sum';
