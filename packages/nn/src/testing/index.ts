/**
 * @file @imecd/nn/testing — assertions for tensor code, independent of any test runner: leak
 * checks, finite-difference gradient checks and tolerant tensor comparison (each throws a
 * `TensorAssertionError` on failure), and a recorder of the matmul kernels a computation runs.
 */

export { expectGradientsClose, type GradientCheckOptions } from './expect-gradients-close';
export { expectNoLeakedTensors } from './expect-no-leaked-tensors';
export { expectTensorsClose } from './expect-tensors-close';
export { numericGradient } from './numeric-gradient';
export { type MatMulCall, recordMatMulFlags } from './record-mat-mul-flags';
export { TensorAssertionError } from './tensor-assertion-error';
