import type { TrainingBatch } from '@imecd/recommender';
import type { Scalar, Tensor2D } from '@tensorflow/tfjs-core';

/**
 * What a reading of IMECD gives the model around the shared item side (the item tables r_m, ID
 * table first): a training loss and the scores of histories. The generative reading
 * (generative-reading.ts) and the first reading (first-reading.ts) are the two.
 */
export interface ImecdReading {
  /** The loss of a batch over the item `tables` r_m, without the experts' balance loss. */
  loss(tables: readonly Tensor2D[], batch: TrainingBatch, stepSeed: number): Scalar;
  /** The item table the scores multiply, built from `tables` once per evaluation pass. */
  scoreTable(tables: readonly Tensor2D[]): Tensor2D;
  /** [size, N + 1] scores; `scoreTable` is what {@link scoreTable} gave and `scoreTableTransposed` its transpose. */
  scores(
    tables: readonly Tensor2D[],
    scoreTable: Tensor2D,
    scoreTableTransposed: Tensor2D,
    histories: Int32Array,
    size: number,
    length: number,
  ): Tensor2D;
  dispose(): void;
}
