import type { Scalar, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { CodebookLevel, LevelForward } from './codebook-level';
import { codebookStatistics } from './codebook-statistics';
import { normalizeRows } from './normalize-rows';
import { stopGradient, straightThrough } from './stop-gradient';
import type { ResolvedVectorQuantizerOptions } from './vector-quantizer-options';

/** How a call used the codebook(s); plain numbers, read with one small download per call. */
export interface QuantizerStatistics {
  /**
   * exp(entropy) of the code choices: from 1 (one code for everything) to K (all codes equally
   * often). For several levels, the mean over levels.
   */
  perplexity: number;
  /** Fraction of the K codes picked at least once in this call; for several levels, the mean over levels. */
  usage: number;
  /** Mean over vectors of ‖z − ẑ‖² (summed over the d axes, not divided by d), after all levels so far. */
  meanError: number;
  /** Codes moved by dead-code restart at the end of this (training) call. */
  restartedCodes: number;
}

/** One residual level's share of a {@link VectorQuantizerOutput}. */
export interface VectorQuantizerLevelOutput {
  /** [...] int32: the code this level picked for each vector. */
  indices: Tensor;
  codebookLoss: Scalar;
  commitmentLoss: Scalar;
  /** This level's codebook; `meanError` is what is left after this level. */
  statistics: QuantizerStatistics;
}

/** What {@link VectorQuantizer.apply} returns; the caller owns (and disposes) the tensors. */
export interface VectorQuantizerOutput {
  /** [..., d]: the chosen code (sum over levels), with the straight-through gradient to the inputs. */
  quantized: Tensor;
  /** int32 codes: [...] with one level, [..., levels] with several. */
  indices: Tensor;
  /** `codebookLoss + β · commitmentLoss`; `β · commitmentLoss` alone with EMA updates. Add it to the task loss. */
  loss: Scalar;
  /** mean ‖sg[z] − e‖² over the elements of the vectors that count (mean over levels); trains the codebook. */
  codebookLoss: Scalar;
  /** mean ‖z − sg[e]‖² likewise; pulls the inputs (the encoder) towards their codes. */
  commitmentLoss: Scalar;
  statistics: QuantizerStatistics;
  /** One entry per residual level, in order. */
  levels: VectorQuantizerLevelOutput[];
}

/** One {@link VectorQuantizer.apply} call, its inputs already checked. */
export interface QuantizeCall {
  /** [..., d] */
  inputs: Tensor;
  /** The input shape without its last axis. */
  leading: number[];
  /** The number of vectors: the product of `leading`. */
  rowCount: number;
  mask: Tensor | undefined;
  training: boolean;
  /** The rows that count, in a training call; none otherwise. */
  validRows: readonly number[];
}

/**
 * Quantizes the call's vectors through the levels in turn, each on what the previous ones left
 * (the residual), then, in a training call, updates the levels and restarts their dead codes.
 */
export function quantizeLevels(
  levels: readonly CodebookLevel[],
  config: ResolvedVectorQuantizerOptions,
  { inputs, leading, rowCount, mask, training, validRows }: QuantizeCall,
): VectorQuantizerOutput {
  const { inputSize, codebookSize, commitmentWeight } = config;
  const cosine = config.distance === 'cosine';
  const ema = config.codebookUpdate === 'ema';
  const pass = tf.tidy(() => {
    const rows = tf.reshape(inputs, [rowCount, inputSize]) as Tensor2D; // [N, d]
    const x = cosine ? normalizeRows(rows) : rows;
    const weights = (
      mask === undefined ? tf.ones([rowCount]) : tf.reshape(tf.cast(mask, 'float32'), [rowCount])
    ) as Tensor1D; // [N]
    const levelInputs: Tensor2D[] = [];
    const forwards: LevelForward[] = [];
    const errorSums: Scalar[] = [];
    let residual = x;
    let sum: Tensor2D | undefined;
    for (const level of levels) {
      const forward = level.forward(residual, weights);
      levelInputs.push(residual);
      forwards.push(forward);
      sum = sum === undefined ? forward.codes : (tf.add(sum, forward.codes) as Tensor2D);
      // Detached codes: level l's commitment then pulls z towards the partial sum of codes 0…l (RQ-VAE).
      residual = tf.sub(residual, stopGradient(forward.codes));
      errorSums.push(tf.sum(tf.mul(forward.rowErrors, weights)));
    }
    const codebookLoss = tf.div(tf.addN(forwards.map((forward) => forward.codebookLoss)), levels.length) as Scalar;
    const commitmentLoss = tf.div(tf.addN(forwards.map((forward) => forward.commitmentLoss)), levels.length) as Scalar;
    const weightedCommitment = tf.mul(commitmentLoss, commitmentWeight);
    const levelIndices = forwards.map((forward) => tf.reshape(forward.indices, leading));
    return {
      quantized: tf.reshape(straightThrough(x, sum ?? x), inputs.shape),
      indices: levelIndices.length === 1 ? levelIndices[0]! : tf.stack(levelIndices, -1), // [...] or [..., L]
      loss: (ema ? weightedCommitment : tf.add(codebookLoss, weightedCommitment)) as Scalar,
      codebookLoss,
      commitmentLoss,
      levelIndices,
      levelInputs,
      forwards,
      weights,
      // One download for every statistic: [L·K counts, L error sums, total weight].
      summary: tf.concat([
        ...forwards.map((forward) => forward.counts),
        tf.stack(errorSums),
        tf.reshape(tf.sum(weights), [1]),
      ]),
    };
  });

  const summary = pass.summary.dataSync() as Float32Array;
  const totalWeight = summary[summary.length - 1] ?? 0;
  const restarted = levels.map((level, index) =>
    training && totalWeight > 0
      ? level.update({
          residual: pass.levelInputs[index]!,
          weights: pass.weights,
          forward: pass.forwards[index]!,
          counts: summary.subarray(index * codebookSize, (index + 1) * codebookSize),
          validRows,
        })
      : 0,
  );
  const levelOutputs = levels.map((_, index): VectorQuantizerLevelOutput => {
    const forward = pass.forwards[index]!;
    const usage = codebookStatistics(summary.subarray(index * codebookSize, (index + 1) * codebookSize));
    const errorSum = summary[levels.length * codebookSize + index] ?? 0;
    return {
      indices: pass.levelIndices[index]!,
      codebookLoss: forward.codebookLoss,
      commitmentLoss: forward.commitmentLoss,
      statistics: {
        ...usage,
        meanError: totalWeight > 0 ? errorSum / totalWeight : 0,
        restartedCodes: restarted[index] ?? 0,
      },
    };
  });
  tf.dispose([
    pass.summary,
    pass.weights,
    pass.levelInputs,
    pass.forwards.map((forward) => [forward.codes, forward.counts, forward.rowErrors, forward.indices]),
  ]);

  return {
    quantized: pass.quantized,
    indices: pass.indices,
    loss: pass.loss,
    codebookLoss: pass.codebookLoss,
    commitmentLoss: pass.commitmentLoss,
    levels: levelOutputs,
    statistics: {
      perplexity: mean(levelOutputs.map((level) => level.statistics.perplexity)),
      usage: mean(levelOutputs.map((level) => level.statistics.usage)),
      meanError: levelOutputs.at(-1)?.statistics.meanError ?? 0,
      restartedCodes: restarted.reduce((total, count) => total + count, 0),
    },
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0) / values.length;
}
