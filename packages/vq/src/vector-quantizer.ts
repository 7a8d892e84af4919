import { createRng, InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { createNamedVariable, type Module } from '@imecd/nn';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type CodebookLevel, createCodebookLevel } from './codebook-level';
import { fitLevelsToRows } from './fit-levels';
import { quantizeLevels, type VectorQuantizerOutput } from './quantize-levels';
import {
  type ResolvedVectorQuantizerOptions,
  resolveVectorQuantizerOptions,
  type VectorQuantizerOptions,
} from './vector-quantizer-options';

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
  const { inputSize, codebookSize, name } = config;
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
    fitLevelsToRows(levels, config, rng, data, validRows);
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

      return quantizeLevels(levels, config, { inputs, leading, rowCount, mask: options.mask, training, validRows });
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
