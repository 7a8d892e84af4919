const TINY = 1e-300;
// A few ulps of 1: rounding can park the factor one ulp off 1 for good, so an exact test would never stop.
const TOLERANCE = 4 * Number.EPSILON;
const MAX_TERMS = 10_000;

/**
 * Evaluates b0 + a1 / (b1 + a2 / (b2 + …)) with the modified Lentz method; `term(n)` gives
 * [a_n, b_n] for n ≥ 1. Stops when one more term changes the value by less than a few ulps, relative.
 */
export function continuedFraction(b0: number, term: (n: number) => readonly [number, number]): number {
  let value = b0 === 0 ? TINY : b0;
  let c = value;
  let d = 0;
  for (let n = 1; n <= MAX_TERMS; n++) {
    const [a, b] = term(n);
    d = b + a * d;
    d = d === 0 ? 1 / TINY : 1 / d;
    c = b + a / c;
    if (c === 0) c = TINY;
    const factor = c * d;
    value *= factor;
    if (Math.abs(factor - 1) < TOLERANCE) return value;
  }
  return value; // MAX_TERMS is far beyond what the arguments used in this package need.
}
