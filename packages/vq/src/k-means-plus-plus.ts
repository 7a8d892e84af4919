import type { Rng } from '@imecd/core';

/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007), continued from centres already placed: draws
 * `count` rows of `points` ([n·d], row-major) one by one, each with probability ∝ its squared
 * distance to the nearest centre so far. `nearest` holds those distances for the centres already
 * placed (all +∞ when there are none, which makes the first draw uniform) and is updated in
 * place. Once every distance is 0 (fewer distinct points than draws) the draws are uniform.
 * Returns the drawn row indices.
 */
export function drawKMeansPlusPlus(
  points: Float32Array,
  dimension: number,
  count: number,
  nearest: Float64Array,
  rng: Rng,
): Int32Array {
  const drawn = new Int32Array(count);
  for (let draw = 0; draw < count; draw++) {
    const row = drawProportional(nearest, rng);
    drawn[draw] = row;
    for (let point = 0; point < nearest.length; point++) {
      nearest[point] = Math.min(nearest[point] ?? 0, squaredDistance(points, point, points, row, dimension));
    }
  }
  return drawn;
}

/** ‖a[i] − b[j]‖² between row i of `a` and row j of `b`, both [·, d] row-major. */
export function squaredDistance(a: Float32Array, i: number, b: Float32Array, j: number, dimension: number): number {
  let sum = 0;
  for (let axis = 0; axis < dimension; axis++) {
    const difference = (a[i * dimension + axis] ?? 0) - (b[j * dimension + axis] ?? 0);
    sum += difference * difference;
  }
  return sum;
}

/** An index drawn with probability ∝ weights[i]; uniform when the weights sum to 0 or +∞. */
function drawProportional(weights: Float64Array, rng: Rng): number {
  let total = 0;
  for (const weight of weights) total += weight;
  if (!Number.isFinite(total) || total <= 0) return rng.nextInt(weights.length);
  let remaining = rng.next() * total;
  for (let index = 0; index < weights.length; index++) {
    remaining -= weights[index] ?? 0;
    if (remaining < 0) return index;
  }
  // Rounding left a sliver past the end: take the last point that has any weight.
  let last = weights.length - 1;
  while ((weights[last] ?? 0) <= 0) last--;
  return last;
}
