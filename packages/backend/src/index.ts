/**
 * @file @imecd/backend — the one place that chooses the TensorFlow.js backend for @imecd apps
 * (tensorflow-gpu, tensorflow, webgpu, wasm, cpu; `IMECD_BACKEND` or an option overrides the order) and
 * registers the kernels that make training work and fast on wasm: a linear-time
 * `UnsortedSegmentSum`, the gradient of `tf.gather`, which wasm lacks and cpu runs in quadratic time,
 * and a row-copying `GatherV2` wrapper around wasm's own kernel.
 * Importing it imports `@tensorflow/tfjs`, so every op and gradient is registered.
 */

export {
  BACKEND_FIXES,
  type BackendLoader,
  DEFAULT_BACKEND_LOADERS,
  type LoadedBackend,
  type LoaderContext,
} from './backend-loaders';
export { BACKEND_NAMES, type BackendChoice, type BackendName, parseBackendChoice } from './backend-names';
export { BackendUnavailableError } from './backend-unavailable-error';
export { type BackendDescription, describeBackend } from './describe-backend';
export { registerFastKernels } from './register-fast-kernels';
export {
  type BackendAttempt,
  type BackendSelection,
  lastBackendSelection,
  type SelectBackendOptions,
  selectBackend,
  type TensorFlow,
} from './select-backend';
export {
  createUnsortedSegmentSumKernel,
  type SegmentSumBackend,
  type SegmentSumDtype,
  sumSegments,
} from './unsorted-segment-sum';
