import type { Rng } from '@imecd/core';
import { createNamedVariable } from '@imecd/nn';
import type { Scalar, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { assignCodes, lookupCodes } from './code-lookup';
import { drawKMeansPlusPlus } from './k-means-plus-plus';
import { normalizeRows } from './normalize-rows';
import { stopGradient } from './stop-gradient';
import { weightedMeanSquaredError } from './weighted-mean-squared-error';

/** What one level needs to know; validated by the quantizer. */
export interface CodebookLevelSettings {
  /** Scope of this level's variables. */
  name: string;
  inputSize: number;
  codebookSize: number;
  /** Codes are L2-normalised before use (the inputs already are). */
  cosine: boolean;
  /** EMA codebook updates, or undefined for gradient updates. */
  ema: { decay: number; epsilon: number } | undefined;
  /** Restart codes idle this many training calls; 0 = never. */
  deadCodeSteps: number;
  /** Draws the initial uniform codes now and the restart rows later. */
  rng: Rng;
}

// A type alias, not an interface, so that tf.tidy accepts it as a TensorContainer.
/** One level's forward pass over rows [N, d]; tensors owned by the caller. */
export type LevelForward = {
  /** [N] int32 chosen codes. */
  indices: Tensor1D;
  /** [N, d] the chosen codes, differentiable with respect to the codebook. */
  codes: Tensor2D;
  /** [K] weighted number of rows that chose each code. */
  counts: Tensor1D;
  /** [N] ‖r − e‖² of each row to its chosen code (the nearest one). */
  rowErrors: Tensor1D;
  /** mean ‖sg[r] − e‖²: pulls the codes towards the inputs. */
  codebookLoss: Scalar;
  /** mean ‖r − sg[e]‖²: pulls the inputs towards their codes. */
  commitmentLoss: Scalar;
};

/** What a level's training-call update needs from the forward pass. */
export interface LevelUpdate {
  /** [N, d] this level's input. */
  residual: Tensor2D;
  /** [N] row weights (the mask). */
  weights: Tensor1D;
  forward: LevelForward;
  /** [K] the downloaded counts of `forward`. */
  counts: Float32Array;
  /** Rows with a positive weight: where restarted codes are drawn from. */
  validRows: readonly number[];
}

/** One codebook and its training state; internal to the quantizer. */
export interface CodebookLevel {
  /** [K, d] codes. */
  readonly codebook: Variable;
  /** Codebook, then EMA cluster sizes [K] and code sums [K, d], then idle counts [K], as configured. */
  readonly variables: readonly Variable[];
  /** Quantizes `residual` [N, d] with row weights [N]; no side effects. */
  forward(residual: Tensor2D, weights: Tensor1D): LevelForward;
  /** A training call's updates after the forward pass: the EMA step, then dead-code restart. Returns how many codes restarted. */
  update(step: LevelUpdate): number;
  /** Replaces every code ([K·d] row-major) and resets the EMA statistics and idle counts to match. */
  setCodes(values: Float32Array): void;
}

export function createCodebookLevel(settings: CodebookLevelSettings): CodebookLevel {
  const { name, inputSize, codebookSize, cosine, ema, deadCodeSteps, rng } = settings;
  const limit = 1 / codebookSize;
  const initial = Float32Array.from({ length: codebookSize * inputSize }, () => (2 * rng.next() - 1) * limit);
  const variables: Variable[] = [];
  try {
    const codebook = push(
      createNamedVariable(`${name}/codebook`, [codebookSize, inputSize], initial, { trainable: ema === undefined }),
    );
    // EMA state starts as "one vector seen at each code", so the first update keeps unused codes in place.
    const clusterSize =
      ema === undefined
        ? undefined
        : push(
            createNamedVariable(`${name}/ema_cluster_size`, [codebookSize], new Float32Array(codebookSize).fill(1), {
              trainable: false,
            }),
          );
    const codeSum =
      ema === undefined
        ? undefined
        : push(createNamedVariable(`${name}/ema_code_sum`, [codebookSize, inputSize], initial, { trainable: false }));
    const idleSteps =
      deadCodeSteps > 0
        ? push(
            createNamedVariable(`${name}/idle_steps`, [codebookSize], new Float32Array(codebookSize), {
              trainable: false,
            }),
          )
        : undefined;

    const forward = (residual: Tensor2D, weights: Tensor1D): LevelForward => {
      // A copy that shares storage: the tape keeps this snapshot even if an update reassigns the variable.
      const snapshot = tf.clone(codebook) as Tensor2D;
      const codes = cosine ? normalizeRows(snapshot) : snapshot; // [K, d]
      const indices = assignCodes(residual, codes); // [N]
      const chosen = lookupCodes(indices, codes); // [N, d]
      return {
        indices,
        codes: chosen,
        counts: tf.bincount(indices, weights, codebookSize),
        rowErrors: tf.sum(tf.square(tf.sub(residual, chosen)), 1),
        codebookLoss: weightedMeanSquaredError(stopGradient(residual), chosen, weights),
        commitmentLoss: weightedMeanSquaredError(residual, stopGradient(chosen), weights),
      };
    };

    const updateEma = ({ residual, weights, forward }: LevelUpdate): void => {
      if (ema === undefined || clusterSize === undefined || codeSum === undefined) return;
      tf.tidy(() => {
        const { decay, epsilon } = ema;
        const sizes = tf.add(tf.mul(clusterSize, decay), tf.mul(forward.counts, 1 - decay)); // [K]
        const oneHot = tf.cast(tf.oneHot(forward.indices, codebookSize), 'float32'); // [N, K]
        const weightedRows = tf.mul(residual, tf.expandDims(weights, 1)); // [N, d]
        const assignedSums = tf.matMul(tf.transpose(oneHot), weightedRows); // [K, d]
        const sums = tf.add(tf.mul(codeSum, decay), tf.mul(assignedSums, 1 - decay)); // [K, d]
        // Laplace smoothing keeps the total mass but never divides by zero for an empty code.
        const total = tf.sum(sizes);
        const smoothed = tf.mul(tf.div(tf.add(sizes, epsilon), tf.add(total, codebookSize * epsilon)), total); // [K]
        clusterSize.assign(sizes);
        codeSum.assign(sums);
        codebook.assign(tf.div(sums, tf.expandDims(smoothed, 1)));
      });
    };

    const restartIdleCodes = ({ residual, forward, counts, validRows }: LevelUpdate): number => {
      if (idleSteps === undefined || validRows.length === 0) return 0;
      const idle = Float32Array.from(idleSteps.dataSync() as Float32Array);
      const dead: number[] = [];
      for (let code = 0; code < codebookSize; code++) {
        idle[code] = (counts[code] ?? 0) > 0 ? 0 : (idle[code] ?? 0) + 1;
        if ((idle[code] ?? 0) >= deadCodeSteps) dead.push(code);
      }
      const sourceRows = new Int32Array(codebookSize);
      const restart = new Float32Array(codebookSize);
      if (dead.length > 0) {
        // k-means++ from the live codes: each restarted code lands on a vector drawn ∝ its squared
        // distance to the nearest code so far, so restarts go where vectors are served worst
        // rather than piling into clusters that already have a code.
        const rows = residual.dataSync() as Float32Array;
        const errors = forward.rowErrors.dataSync();
        const points = new Float32Array(validRows.length * inputSize);
        validRows.forEach((row, index) => {
          points.set(rows.subarray(row * inputSize, (row + 1) * inputSize), index * inputSize);
        });
        const nearest = Float64Array.from(validRows, (row) => Number(errors[row]));
        const drawn = drawKMeansPlusPlus(points, inputSize, dead.length, nearest, rng);
        dead.forEach((code, index) => {
          sourceRows[code] = validRows[drawn[index] ?? 0] ?? 0;
          restart[code] = 1;
          idle[code] = 0;
        });
      }
      const restarted = dead.length;
      tf.tidy(() => {
        idleSteps.assign(tf.tensor1d(idle));
        if (restarted === 0) return;
        const replacements = tf.gather(residual, tf.tensor1d(sourceRows, 'int32')); // [K, d]
        const restarting = tf.tensor1d(restart); // [K]: 1 where the code restarts, else 0
        // Exact selection: x·0 = 0 and x·1 = x, so kept codes do not move by a bit.
        const blend = (old: tf.Tensor, fresh: tf.Tensor, mask: tf.Tensor) =>
          tf.add(tf.mul(old, tf.sub(1, mask)), tf.mul(fresh, mask));
        const rowMask = tf.expandDims(restarting, 1); // [K, 1]
        codebook.assign(blend(codebook, replacements, rowMask));
        // A restarted code starts its EMA afresh, as if it had seen its new vector once.
        clusterSize?.assign(blend(clusterSize, tf.onesLike(restarting), restarting));
        codeSum?.assign(blend(codeSum, replacements, rowMask));
      });
      return restarted;
    };

    return {
      codebook,
      variables,
      forward,
      update(step) {
        updateEma(step);
        return restartIdleCodes(step);
      },
      setCodes(values) {
        tf.tidy(() => {
          const codes = tf.tensor2d(values, [codebookSize, inputSize]);
          codebook.assign(codes);
          clusterSize?.assign(tf.onesLike(clusterSize));
          codeSum?.assign(codes);
          idleSteps?.assign(tf.zerosLike(idleSteps));
        });
      },
    };
  } catch (error) {
    for (const variable of variables) variable.dispose();
    throw error;
  }

  function push(variable: Variable): Variable {
    variables.push(variable);
    return variable;
  }
}
