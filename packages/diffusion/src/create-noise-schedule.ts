import { InvalidArgumentError } from '@imecd/core';
import { requireOneOf, requirePositiveInteger } from '@imecd/nn';
import { type NoiseSchedule, noiseScheduleFromBetas } from './noise-schedule-from-betas';

/** The named β sequences of {@link createNoiseSchedule}. */
export type NoiseScheduleKind = 'linear' | 'cosine' | 'sqrt' | 'truncated-linear';

export const NOISE_SCHEDULE_KINDS: readonly NoiseScheduleKind[] = Object.freeze([
  'linear',
  'cosine',
  'sqrt',
  'truncated-linear',
]);

/** Options of {@link createNoiseSchedule}. */
export interface NoiseScheduleOptions {
  /**
   * - `'truncated-linear'` (DiffuRec `trunc_lin`): linear from 1e-4·s + 0.01 to 0.02·s + 0.01,
   *   s = 1000 / T, the end falling back to 1e-3·s + 0.01 when it would exceed 1;
   * - `'linear'` (DDPM, with improved-diffusion's rescaling): linear from `betaStart` to `betaEnd`;
   * - `'cosine'` (Nichol & Dhariwal 2021): ᾱ(u) ∝ cos²((u + 0.008) / 1.008 · π/2), u = t / T;
   * - `'sqrt'` (Diffusion-LM, DiffuSeq): ᾱ(u) = 1 − √(u + 1e-4).
   * Cosine and sqrt turn ᾱ(u) into β_t = min(1 − ᾱ((t + 1) / T) / ᾱ(t / T), 0.999).
   * Default `'truncated-linear'`.
   */
  kind?: NoiseScheduleKind;
  /** Number of diffusion steps T. Default 32 (DiffuRec). */
  numSteps?: number;
  /** `'linear'` only: β of the first step. Default 1e-4 · 1000 / T, so any T ends as noisy as 1000 DDPM steps. */
  betaStart?: number;
  /** `'linear'` only: β of the last step; must stay below 1. Default 0.02 · 1000 / T (below 1 needs T ≥ 21). */
  betaEnd?: number;
}

/** Largest β of the cosine and sqrt schedules, which would otherwise reach 1 at the last step. */
const MAX_BETA = 0.999;

/**
 * A named noise schedule with its precomputed α, ᾱ and posterior coefficients. Throws
 * `InvalidArgumentError` for an unknown kind, a non-integer T, linear endpoints outside (0, 1),
 * or `betaStart`/`betaEnd` given to a kind that does not use them.
 */
export function createNoiseSchedule(options: NoiseScheduleOptions = {}): NoiseSchedule {
  const kind = requireOneOf('kind', options.kind ?? 'truncated-linear', NOISE_SCHEDULE_KINDS);
  const numSteps = requirePositiveInteger('numSteps', options.numSteps ?? 32);
  if (kind !== 'linear') {
    for (const argument of ['betaStart', 'betaEnd'] as const) {
      if (options[argument] !== undefined)
        throw new InvalidArgumentError(argument, `only the 'linear' schedule takes it, got kind '${kind}'`);
    }
  }
  switch (kind) {
    case 'linear': {
      const scale = 1000 / numSteps;
      const start = requireOpenUnitInterval('betaStart', options.betaStart ?? 1e-4 * scale);
      const end = requireOpenUnitInterval('betaEnd', options.betaEnd ?? 0.02 * scale);
      return noiseScheduleFromBetas(linearSpace(start, end, numSteps));
    }
    case 'truncated-linear': {
      const scale = 1000 / numSteps;
      const end = 0.02 * scale + 0.01;
      return noiseScheduleFromBetas(linearSpace(1e-4 * scale + 0.01, end > 1 ? 1e-3 * scale + 0.01 : end, numSteps));
    }
    case 'cosine':
      return noiseScheduleFromBetas(
        betasFromCumulativeAlpha((u) => Math.cos(((u + 0.008) / 1.008) * (Math.PI / 2)) ** 2, numSteps),
      );
    case 'sqrt':
      return noiseScheduleFromBetas(betasFromCumulativeAlpha((u) => 1 - Math.sqrt(u + 1e-4), numSteps));
  }
}

/** `count` evenly spaced values from `start` to `end`, both included (a single step takes `start`). */
function linearSpace(start: number, end: number, count: number): number[] {
  return Array.from({ length: count }, (_, index) =>
    count === 1 ? start : start + ((end - start) * index) / (count - 1),
  );
}

/** Discretises a continuous ᾱ(u), u ∈ [0, 1], into T betas, capped at {@link MAX_BETA}. */
function betasFromCumulativeAlpha(cumulativeAlpha: (u: number) => number, numSteps: number): number[] {
  return Array.from({ length: numSteps }, (_, step) =>
    Math.min(1 - cumulativeAlpha((step + 1) / numSteps) / cumulativeAlpha(step / numSteps), MAX_BETA),
  );
}

function requireOpenUnitInterval(argument: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1))
    throw new InvalidArgumentError(argument, `expected a β in (0, 1), got ${value}`);
  return value;
}
