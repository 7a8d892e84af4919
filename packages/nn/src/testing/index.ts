/**
 * @file @imecd/nn/testing — assertions for tensor code, independent of any test runner: leak
 * checks, finite-difference gradient checks and tolerant tensor comparison. Each throws a
 * `TensorAssertionError` on failure.
 */
export { expectNoLeakedTensors } from './expect-no-leaked-tensors';
export { numericGradient } from './numeric-gradient';
export { expectGradientsClose } from './expect-gradients-close';
export type { GradientCheckOptions } from './expect-gradients-close';
export { expectTensorsClose } from './expect-tensors-close';
export { TensorAssertionError } from './tensor-assertion-error';
