import { InvalidArgumentError } from '@imecd/core';

/**
 * A discrete Gaussian noise schedule and every quantity the forward process and the reverse
 * steps need, precomputed once in float64. Index t runs over 0 … T − 1; t = 0 is the least noisy
 * step (the papers' t = 1) and t = T − 1 the one sampling starts from. All arrays are frozen.
 */
export interface NoiseSchedule {
  /** Number of diffusion steps T. */
  readonly numSteps: number;
  /** β_t, the variance each step adds; every value lies in (0, 1). */
  readonly betas: readonly number[];
  /** α_t = 1 − β_t. */
  readonly alphas: readonly number[];
  /** ᾱ_t = α_0 · α_1 ⋯ α_t, the signal that survives t + 1 steps; strictly decreasing. */
  readonly cumulativeAlphas: readonly number[];
  /** ᾱ_{t−1}, with ᾱ_{−1} = 1 (nothing added yet). */
  readonly previousCumulativeAlphas: readonly number[];
  /** β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t), the variance of q(x_{t−1} | x_t, x_0); 0 at t = 0. */
  readonly posteriorVariances: readonly number[];
  /** c1_t = β_t √ᾱ_{t−1} / (1 − ᾱ_t), the weight of x_0 in the posterior mean; 1 at t = 0. */
  readonly posteriorTargetCoefficients: readonly number[];
  /** c2_t = (1 − ᾱ_{t−1}) √α_t / (1 − ᾱ_t), the weight of x_t in the posterior mean; 0 at t = 0. */
  readonly posteriorNoisyCoefficients: readonly number[];
}

/**
 * Builds a {@link NoiseSchedule} from any β sequence, after checking that it is one: at least
 * one step, every β finite and in (0, 1), and ᾱ strictly decreasing and positive in float64
 * (a run of tiny β, or ᾱ underflowing to 0, would make later steps identical or divide by zero).
 */
export function noiseScheduleFromBetas(betas: ArrayLike<number>): NoiseSchedule {
  if (betas.length === 0) throw new InvalidArgumentError('betas', 'expected at least one step, got none');
  const values = Array.from(betas);
  values.forEach((beta, step) => {
    if (!(Number.isFinite(beta) && beta > 0 && beta < 1))
      throw new InvalidArgumentError('betas', `β at step ${step} must lie in (0, 1), got ${beta}`);
  });
  const alphas = values.map((beta) => 1 - beta);
  const cumulativeAlphas: number[] = [];
  let product = 1;
  for (const alpha of alphas) {
    const next = product * alpha;
    if (!(next < product && next > 0)) {
      throw new InvalidArgumentError(
        'betas',
        `ᾱ must decrease strictly and stay positive, but at step ${cumulativeAlphas.length} it goes from ${product} to ${next}`,
      );
    }
    cumulativeAlphas.push(next);
    product = next;
  }
  const previousCumulativeAlphas = [1, ...cumulativeAlphas.slice(0, -1)];
  const posterior = values.map((beta, step) => {
    const cumulative = cumulativeAlphas[step] ?? Number.NaN;
    const previous = previousCumulativeAlphas[step] ?? Number.NaN;
    return {
      variance: (beta * (1 - previous)) / (1 - cumulative),
      target: (beta * Math.sqrt(previous)) / (1 - cumulative),
      noisy: ((1 - previous) * Math.sqrt(alphas[step] ?? Number.NaN)) / (1 - cumulative),
    };
  });
  return Object.freeze({
    numSteps: values.length,
    betas: Object.freeze(values),
    alphas: Object.freeze(alphas),
    cumulativeAlphas: Object.freeze(cumulativeAlphas),
    previousCumulativeAlphas: Object.freeze(previousCumulativeAlphas),
    posteriorVariances: Object.freeze(posterior.map((entry) => entry.variance)),
    posteriorTargetCoefficients: Object.freeze(posterior.map((entry) => entry.target)),
    posteriorNoisyCoefficients: Object.freeze(posterior.map((entry) => entry.noisy)),
  });
}
