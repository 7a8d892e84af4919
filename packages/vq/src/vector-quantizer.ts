import { createRng, InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { createNamedVariable, type Module } from '@imecd/nn';
import type { Scalar, Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type CodebookLevel, createCodebookLevel, type LevelForward } from './codebook-level';
import { codebookStatistics } from './codebook-statistics';
import { fitKMeans } from './k-means';
import { normalizeRows } from './normalize-rows';
import { stopGradient, straightThrough } from './stop-gradient';
import {
  type ResolvedVectorQuantizerOptions,
  resolveVectorQuantizerOptions,
  type VectorQuantizerOptions,
} from './vector-quantizer-options';

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

/** Options of {@link VectorQuantizer.apply}. */
export interface VectorQuantizerApplyOptions {
  /**
   * A training call: the first one initialises the codebooks from the batch (data-driven
   * `initialization`), and each one runs the EMA update and dead-code restart when configured.
   * Default false (no side effects).
   */
  training?: boolean;
  /**
   * [...]: the input shape without its last axis, 1 for vectors that count and 0 for padding.
   * Padding is still quantized but left out of losses, statistics, initialisation and updates.
   * Default: every vector counts.
   */
  mask?: Tensor;
}

/** Options of {@link VectorQuantizer.initializeFromData}. */
export interface InitializeFromDataOptions {
  /** As in {@link VectorQuantizerApplyOptions.mask}. Default: every vector counts. */
  mask?: Tensor;
}

/** A K×d codebook (or a stack of residual ones) that snaps vectors to their nearest codes. */
export interface VectorQuantizer extends Module {
  readonly config: ResolvedVectorQuantizerOptions;
  /** One [K, d] codebook per level. */
  readonly codebooks: readonly Variable[];
  /**
   * Every variable: codebooks, EMA statistics, idle counters and the `initialized` flag, so that
   * `serializeVariables` / `restoreVariables` save and resume the whole state. Only the trainable
   * ones (see `trainableVariables`) ever receive gradients; optimizers skip the rest.
   */
  readonly variables: readonly Variable[];
  /** The codebooks with `codebookUpdate: 'gradient'`, none with EMA. */
  readonly trainableVariables: readonly Variable[];
  /** Whether the codebooks hold their initial codes yet (always true for `'uniform'`). */
  readonly initialized: boolean;
  /** Quantizes `inputs` [..., d] (any rank ≥ 1, float32). */
  apply(inputs: Tensor, options?: VectorQuantizerApplyOptions): VectorQuantizerOutput;
  /**
   * Fits the codebooks to `data` [..., d] now, by k-means++ seeding plus `kmeansIterations` Lloyd
   * iterations (seeding only for `initialization: 'kmeans++'`), level by level on the residuals,
   * whatever `initialization` says. Use it to initialise from a larger sample than one batch.
   */
  initializeFromData(data: Tensor, options?: InitializeFromDataOptions): void;
}

export function createVectorQuantizer(options: VectorQuantizerOptions): VectorQuantizer {
  return buildVectorQuantizer(resolveVectorQuantizerOptions(options));
}

/** The quantizer for options already resolved (the modality wrapper validates all of them first). */
export function buildVectorQuantizer(config: ResolvedVectorQuantizerOptions): VectorQuantizer {
  const { inputSize, codebookSize, name, commitmentWeight } = config;
  const cosine = config.distance === 'cosine';
  const ema = config.codebookUpdate === 'ema' ? { decay: config.emaDecay, epsilon: config.emaEpsilon } : undefined;
  const rng = createRng(config.seed);

  const levels: CodebookLevel[] = [];
  const variables: Variable[] = [];
  let initializedFlag: Variable;
  try {
    for (let level = 0; level < config.levels; level++) {
      const scope = config.levels === 1 ? name : `${name}/level_${level}`;
      levels.push(
        createCodebookLevel({
          name: scope,
          inputSize,
          codebookSize,
          cosine,
          ema,
          deadCodeSteps: config.deadCodeSteps,
          rng,
        }),
      );
      variables.push(...(levels.at(-1)?.variables ?? []));
    }
    // A variable, not a JS flag, so a restored quantizer does not re-initialise over its trained codes.
    initializedFlag = createNamedVariable(
      `${name}/initialized`,
      [],
      Float32Array.of(config.initialization === 'uniform' ? 1 : 0),
      { trainable: false },
    );
    variables.push(initializedFlag);
  } catch (error) {
    for (const variable of variables) variable.dispose();
    throw error;
  }
  const codebooks = levels.map((level) => level.codebook);

  const checkInputs = (argument: string, inputs: Tensor, mask: Tensor | undefined): number[] =>
    checkQuantizerInputs(`${argument} of ${name}`, inputSize, inputs, mask);

  /** Indices of the rows that count, read from the mask (one download when there is a mask). */
  const rowsThatCount = (rowCount: number, mask: Tensor | undefined): number[] => {
    if (mask === undefined) return Array.from({ length: rowCount }, (_, row) => row);
    const weights = mask.dataSync();
    return Array.from({ length: rowCount }, (_, row) => row).filter((row) => Number(weights[row]) > 0);
  };

  const initializeFromRows = (data: Tensor, validRows: readonly number[]): void => {
    const values = tf.tidy(() => {
      const rows = tf.reshape(data, [-1, inputSize]) as Tensor2D; // [N, d]
      return cosine ? normalizeRows(rows) : rows;
    });
    const all = values.dataSync() as Float32Array;
    values.dispose();
    const points = new Float32Array(validRows.length * inputSize); // [n, d], becomes the residual level by level
    validRows.forEach((row, index) => {
      points.set(all.subarray(row * inputSize, (row + 1) * inputSize), index * inputSize);
    });
    const iterations = config.initialization === 'kmeans++' ? 0 : config.kmeansIterations;
    for (const level of levels) {
      const { centres, assignments } = fitKMeans(points, {
        dimension: inputSize,
        clusters: codebookSize,
        iterations,
        seed: Math.floor(rng.next() * 2 ** 32),
      });
      if (cosine) normalizeInPlace(centres, inputSize);
      level.setCodes(centres);
      assignments.forEach((centre, point) => {
        for (let axis = 0; axis < inputSize; axis++)
          points[point * inputSize + axis] =
            (points[point * inputSize + axis] ?? 0) - (centres[centre * inputSize + axis] ?? 0);
      });
    }
    tf.tidy(() => initializedFlag.assign(tf.scalar(1)));
  };

  const isInitialized = (): boolean => (initializedFlag.dataSync()[0] ?? 0) > 0;

  return {
    config,
    codebooks,
    variables,
    trainableVariables: ema === undefined ? [...codebooks] : [],
    get initialized() {
      return isInitialized();
    },
    dispose: () => {
      for (const variable of variables) variable.dispose();
    },
    initializeFromData(data, options = {}) {
      const leading = checkInputs('data', data, options.mask);
      const validRows = rowsThatCount(sizeOf(leading), options.mask);
      if (validRows.length === 0)
        throw new InvalidArgumentError('data', 'the mask leaves no vector to initialise from');
      initializeFromRows(data, validRows);
    },
    apply(inputs, options = {}) {
      const training = options.training ?? false;
      const leading = checkInputs('inputs', inputs, options.mask);
      const rowCount = sizeOf(leading);
      const validRows = training ? rowsThatCount(rowCount, options.mask) : [];
      if (training && validRows.length > 0 && config.initialization !== 'uniform' && !isInitialized())
        initializeFromRows(inputs, validRows);

      const pass = tf.tidy(() => {
        const rows = tf.reshape(inputs, [rowCount, inputSize]) as Tensor2D; // [N, d]
        const x = cosine ? normalizeRows(rows) : rows;
        const weights = (
          options.mask === undefined ? tf.ones([rowCount]) : tf.reshape(tf.cast(options.mask, 'float32'), [rowCount])
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
        const commitmentLoss = tf.div(
          tf.addN(forwards.map((forward) => forward.commitmentLoss)),
          levels.length,
        ) as Scalar;
        const weightedCommitment = tf.mul(commitmentLoss, commitmentWeight);
        const levelIndices = forwards.map((forward) => tf.reshape(forward.indices, leading));
        return {
          quantized: tf.reshape(straightThrough(x, sum ?? x), inputs.shape),
          indices: levelIndices.length === 1 ? levelIndices[0]! : tf.stack(levelIndices, -1), // [...] or [..., L]
          loss: (ema === undefined ? tf.add(codebookLoss, weightedCommitment) : weightedCommitment) as Scalar,
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
    },
  };
}

/**
 * Checks `inputs` [..., d] (float32, at least one vector) and `mask` (its shape without the last
 * axis) and returns that leading shape. `argument` names the input in the error.
 */
export function checkQuantizerInputs(
  argument: string,
  inputSize: number,
  inputs: Tensor,
  mask: Tensor | undefined,
): number[] {
  if (inputs.rank < 1 || inputs.shape.at(-1) !== inputSize || inputs.size === 0) {
    throw new ShapeMismatchError(argument, `[..., ${inputSize}] with at least one vector`, inputs.shape);
  }
  if (inputs.dtype !== 'float32') throw new InvalidArgumentError(argument, `expected float32, got ${inputs.dtype}`);
  const leading = inputs.shape.slice(0, -1);
  if (mask !== undefined && (mask.rank !== leading.length || mask.shape.some((size, axis) => size !== leading[axis]))) {
    throw new ShapeMismatchError(
      `mask of ${argument}`,
      `[${leading.join(', ')}] (the input shape without its last axis)`,
      mask.shape,
    );
  }
  return leading;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

function mean(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0) / values.length;
}

/** L2-normalises each row of a [K·d] row-major buffer in place (cosine codebooks from k-means). */
function normalizeInPlace(rows: Float32Array, size: number): void {
  for (let start = 0; start < rows.length; start += size) {
    let squares = 0;
    for (let axis = 0; axis < size; axis++) squares += (rows[start + axis] ?? 0) ** 2;
    const scale = 1 / Math.sqrt(Math.max(squares, 1e-12));
    for (let axis = 0; axis < size; axis++) rows[start + axis] = (rows[start + axis] ?? 0) * scale;
  }
}
