import type { FeatureMatrix, ItemCodes } from '@imecd/core';
import { createMixtureOfExperts, type HotRows, hotMatMul, hotRowsFromCodes } from '@imecd/moe';
import { type ConstantRows, constantRowsMatMul, createConstantRows, createDense, type Module } from '@imecd/nn';
import type { Scalar, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type FeatureScaling, scaleFeatures } from './feature-scaling';
import type { ModalityProjection as ProjectionKind } from './imecd-options';

/** Options of {@link createModalityProjection}. */
export interface ModalityProjectionOptions {
  /**
   * The modality's frozen features, rows 0..N: dense vectors, or discrete codes per item (read as
   * the levels-hot vector they stand for, never materialised). Required.
   */
  features: FeatureMatrix | ItemCodes;
  /** Output width D (the ID embedding's width, which is also the guide's). Required. */
  outputSize: number;
  /** `'id-guided'` / `'self-gated'` mixture of experts, or `'none'`: one linear layer. Required. */
  kind: ProjectionKind;
  /** How dense features are rescaled first (codes are used as they are). Required. */
  scaling: FeatureScaling;
  /** Experts of the mixture. Required. */
  numExperts: number;
  /** Scope of the variable names. Required. */
  name: string;
  /** Seed of the initial weights. Required. */
  seed: number;
}

/** What {@link ModalityProjection.apply} returns; the caller owns the tensors. */
export interface ProjectedModality {
  /** r_m [N + 1, D]: zero rows for padding and for items without this modality. */
  representations: Tensor2D;
  /** The experts' load-balancing loss over the items that have the modality; 0 without experts. */
  balanceLoss: Scalar;
}

/** One modality's item side: its features, held as a constant, mapped to D for every item at once. */
export interface ModalityProjection extends Module {
  /** `guide` is the ID table e_id [N + 1, D] (read by ID-guided gating only). */
  apply(guide: Tensor2D, options: { training: boolean; seed?: number }): ProjectedModality;
}

/**
 * Maps a modality's features x_m [N + 1, d_m] to r_m [N + 1, D]: Σ_k w_k · E_k(x_m) with the gate
 * read from e_id (ID-guided) or from x_m (self-gated), or x_m·W + b. Items whose mask is 0 get a
 * zero row, whatever their feature row holds, so they add nothing to this modality's scores.
 */
export function createModalityProjection(options: ModalityProjectionOptions): ModalityProjection {
  const { features, outputSize, kind, scaling, numExperts, name, seed } = options;
  const rows = features.mask.length;
  const codes = 'codes' in features ? features : undefined;
  const inputSize = codes === undefined ? (features as FeatureMatrix).dim : codes.levels * codes.codesPerLevel;
  // Codes as hot rows (level l's code c at column l · codesPerLevel + c); dense features rescaled, as
  // constant rows: a step's products with them compute no gradient for them.
  const values: ConstantRows | HotRows =
    codes === undefined
      ? createConstantRows(tf.tensor2d(scaleFeatures(features as FeatureMatrix, scaling), [rows, inputSize])) // [N + 1, d_m]
      : hotRowsFromCodes(codes.codes, codes.levels, codes.codesPerLevel); // [N + 1, levels] columns
  const itemMask = tf.tensor1d(Float32Array.from(features.mask)); // [N + 1]
  const rowMask = tf.reshape(itemMask, [rows, 1]); // [N + 1, 1]
  const constants = [
    codes === undefined ? (values as ConstantRows).values : (values as HotRows).hotColumns,
    itemMask,
    rowMask,
  ];
  try {
    if (kind === 'none') {
      const dense = createDense({ inputSize, outputSize, name: `${name}/projection`, seed });
      const project = (): Tensor2D =>
        tf.add(
          codes === undefined
            ? constantRowsMatMul(values as ConstantRows, dense.kernel as Tensor2D)
            : hotMatMul(values as HotRows, dense.kernel as Tensor2D),
          dense.bias!,
        ) as Tensor2D;
      return {
        variables: dense.variables,
        dispose: () => {
          dense.dispose();
          tf.dispose(constants);
        },
        apply: () =>
          tf.tidy(() => ({ representations: tf.mul(project(), rowMask) as Tensor2D, balanceLoss: tf.scalar(0) })),
      };
    }
    const mixture = createMixtureOfExperts({
      inputSize,
      outputSize,
      guideSize: outputSize,
      gating: kind === 'id-guided' ? 'guide' : 'self',
      numExperts,
      name: `${name}/moe`,
      seed,
    });
    return {
      variables: mixture.variables,
      dispose: () => {
        mixture.dispose();
        tf.dispose(constants);
      },
      apply: (guide, { training, seed: callSeed }) =>
        tf.tidy(() => {
          const { output, loadBalancingLoss } = mixture.apply(values as ConstantRows, {
            training,
            mask: itemMask,
            ...(kind === 'id-guided' ? { guide } : {}),
            ...(callSeed === undefined ? {} : { seed: callSeed }),
          });
          return { representations: tf.mul(output, rowMask) as Tensor2D, balanceLoss: loadBalancingLoss };
        }),
    };
  } catch (error) {
    tf.dispose(constants);
    throw error;
  }
}
