import type { Scalar, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { TrainingBatch } from './training-batches';

/**
 * The contract every model of the project follows (after RecBole's calculate_loss /
 * full_sort_predict): a loss for a training batch and scores for all items. The trainer, the
 * evaluator and `recommend()` know nothing else about a model.
 */
export interface RecommenderModel {
  /** Registry name, e.g. "sasrec". */
  readonly name: string;
  /** Item ids run 1..numItems; 0 is padding. */
  readonly numItems: number;
  /** Most history items the model reads (older ones are dropped). */
  readonly maxLength: number;
  /** Trainable variables; empty for models fitted by counting (Pop). */
  readonly variables: readonly Variable[];
  /**
   * True when `loss` is the mean of per-position terms with nothing computed across a batch's
   * rows (no in-batch negatives, no batch statistics): then a batch may be split across gradient
   * shards and the parts' gradients recombined exactly. Default false.
   */
  readonly splittableLoss?: boolean;
  /** The resolved hyperparameters, as written to a run's config. */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * Mean loss over the scored targets of a batch. Called inside the optimizer's gradient tape;
   * `seed` makes dropout reproducible (the trainer derives one per step).
   */
  loss(batch: TrainingBatch, context: { seed: number }): Scalar;
  /**
   * Scores of every item for each history row: `histories` is [size, length] left-padded item ids
   * (most recent last). Returns [size, numItems + 1]; column 0 (padding) is never ranked.
   */
  scoreAll(histories: Int32Array, size: number, length: number): Tensor2D;
  /**
   * Optional: a scorer for many `scoreAll` calls while the weights stay fixed (one evaluation
   * pass). It computes the item side once — the transposed item table, or a multimodal model's
   * projected item representations — instead of once per batch, and must give `scoreAll`'s
   * scores. Dispose it before the weights change.
   */
  createScorer?(): ItemScorer;
  /**
   * Models without gradients learn here before any epoch, from the training sequences (and, for
   * baselines that ask for them, every user's full sequence).
   */
  fit?(data: { trainingSequences: readonly Int32Array[]; fullSequences?: readonly Int32Array[] }): void;
  /**
   * Models with `fit`: what fitting learned, as numbers (Pop's counts), so a saved model scores
   * without the training data. `restoreFitted` takes what `saveFitted` gave and leaves the model
   * fitted; values of another length are an InvalidArgumentError.
   */
  saveFitted?(): Float32Array;
  restoreFitted?(values: Float32Array): void;
  dispose(): void;
}

/** Scores with the item side computed once; valid until the model's weights change. */
export interface ItemScorer {
  /** Same contract and results as {@link RecommenderModel.scoreAll}. */
  scoreAll(histories: Int32Array, size: number, length: number): Tensor2D;
  /** Frees the precomputed item side. */
  dispose(): void;
}
