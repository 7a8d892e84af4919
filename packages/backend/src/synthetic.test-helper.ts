// Test-only helper (not exported, not built).
import * as tf from '@tensorflow/tfjs';

/** SYNTHETIC tensors: values i·0.5 − 3 (float32) or i − 7 (int32), so every entry differs. */
export const synthetic = (shape: number[], dtype: 'float32' | 'int32' = 'float32') =>
  tf.tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, index) =>
      dtype === 'int32' ? index - 7 : index * 0.5 - 3,
    ),
    shape,
    dtype,
  );
