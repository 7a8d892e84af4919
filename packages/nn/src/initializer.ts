import { InvalidArgumentError, type Rng } from '@imecd/core';

/**
 * How a weight starts: `'glorot-uniform'` draws from U(-a, a) with a = sqrt(6 / (fanIn + fanOut)),
 * `'normal(σ)'` from N(0, σ²) (BERT and RecBole use `'normal(0.02)'`), `'zeros'` is all zero.
 */
export type Initializer = 'glorot-uniform' | 'zeros' | `normal(${number})`;

const NORMAL_PATTERN = /^normal\((.+)\)$/;

/**
 * Checks an initializer name once, at module creation, and returns a function that fills a
 * weight of `shape`. Values are drawn in JavaScript from the seeded `Rng`, not by a tfjs kernel,
 * so the same seed gives the same weights on every backend.
 */
export function parseInitializer(
  argument: string,
  initializer: Initializer,
): (shape: readonly number[], rng: Rng) => Float32Array {
  if (initializer === 'zeros') return (shape) => new Float32Array(sizeOf(shape));
  if (initializer === 'glorot-uniform') {
    return (shape, rng) => {
      const [fanIn, fanOut] = fans(shape);
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return Float32Array.from({ length: sizeOf(shape) }, () => (2 * rng.next() - 1) * limit);
    };
  }
  const match = NORMAL_PATTERN.exec(initializer);
  const standardDeviation = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (!Number.isFinite(standardDeviation) || standardDeviation <= 0) {
    throw new InvalidArgumentError(
      argument,
      `expected 'glorot-uniform', 'zeros' or 'normal(σ)' with σ > 0, got "${String(initializer)}"`,
    );
  }
  return (shape, rng) => Float32Array.from({ length: sizeOf(shape) }, () => rng.normal() * standardDeviation);
}

/**
 * Checks an initializer name without building anything and returns it, so a factory can report a
 * bad value under its own option name (e.g. `gateInitializer`) before any variable exists.
 * @throws InvalidArgumentError naming `argument` when {@link parseInitializer} would refuse it.
 */
export function requireInitializer(argument: string, initializer: Initializer): Initializer {
  parseInitializer(argument, initializer);
  return initializer;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, dimension) => product * dimension, 1);
}

/** Fan-in and fan-out of a [..., in, out] kernel; a vector counts as [1, n]. */
function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [1, shape[0] ?? 1];
  const receptive = sizeOf(shape.slice(0, -2));
  return [(shape.at(-2) ?? 1) * receptive, (shape.at(-1) ?? 1) * receptive];
}
