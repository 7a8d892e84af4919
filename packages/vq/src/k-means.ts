import { InvalidArgumentError } from '@imecd/core';
import { createSeededRng, requireNonNegativeInteger, requireOptionalSeed, requirePositiveInteger } from '@imecd/nn';
import { drawKMeansPlusPlus, squaredDistance } from './k-means-plus-plus';

/** Options of {@link fitKMeans}. */
export interface KMeansOptions {
  /** Length d of each point. Required. */
  dimension: number;
  /** Number of centres K. Required. */
  clusters: number;
  /** Lloyd iterations after the k-means++ seeding; 0 returns the seeds. Default 10. */
  iterations?: number;
  /** Seed of the k-means++ draws. Default: a random seed (not reproducible). */
  seed?: number;
}

/** The outcome of {@link fitKMeans}. */
export interface KMeansResult {
  /** [K·d], row-major: centre k is `centres.subarray(k·d, (k+1)·d)`. */
  centres: Float32Array;
  /** [N]: index of the centre nearest to each point. */
  assignments: Int32Array;
  /** Σ ‖x − c(x)‖² over the points, with c(x) the assigned centre. */
  inertia: number;
}

/**
 * k-means on `points` ([N·d], row-major) in plain JavaScript: k-means++ seeding (Arthur &
 * Vassilvitskii 2007: each new centre drawn with probability ∝ its squared distance to the
 * nearest centre so far), then Lloyd iterations until assignments stop changing. A centre that
 * loses all its points keeps its place. With fewer distinct points than clusters, the surplus
 * centres repeat points. Runs on the CPU whatever the tfjs backend, so one seed gives the same
 * centres everywhere; costs N·K·d per iteration, meant for a batch or a sample, not a corpus.
 */
export function fitKMeans(points: Float32Array, options: KMeansOptions): KMeansResult {
  const dimension = requirePositiveInteger('dimension', options.dimension);
  const clusters = requirePositiveInteger('clusters', options.clusters);
  const iterations = requireNonNegativeInteger('iterations', options.iterations ?? 10);
  const seed = requireOptionalSeed('seed', options.seed);
  if (points.length === 0 || points.length % dimension !== 0) {
    throw new InvalidArgumentError(
      'points',
      `expected a non-empty multiple of dimension ${dimension} values, got ${points.length}`,
    );
  }
  const rng = createSeededRng(seed);
  const seeds = drawKMeansPlusPlus(
    points,
    dimension,
    clusters,
    new Float64Array(points.length / dimension).fill(Number.POSITIVE_INFINITY),
    rng,
  );
  const centres = new Float32Array(clusters * dimension);
  seeds.forEach((row, centre) => {
    centres.set(points.subarray(row * dimension, (row + 1) * dimension), centre * dimension);
  });
  const assignments = new Int32Array(points.length / dimension).fill(-1);
  for (let iteration = 0; iteration < iterations; iteration++) {
    if (!assignPoints(points, centres, dimension, assignments)) break;
    moveCentres(points, centres, dimension, assignments);
  }
  assignPoints(points, centres, dimension, assignments); // the returned assignments match the returned centres
  return { centres, assignments, inertia: totalDistance(points, centres, dimension, assignments) };
}

/** Assigns each point to its nearest centre in place; returns whether any assignment changed. */
function assignPoints(
  points: Float32Array,
  centres: Float32Array,
  dimension: number,
  assignments: Int32Array,
): boolean {
  const clusters = centres.length / dimension;
  let changed = false;
  for (let point = 0; point < assignments.length; point++) {
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let centre = 0; centre < clusters; centre++) {
      const distance = squaredDistance(points, point, centres, centre, dimension);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = centre;
      }
    }
    if (assignments[point] !== best) changed = true;
    assignments[point] = best;
  }
  return changed;
}

/** Moves each centre to the mean of its points; a centre without points stays where it is. */
function moveCentres(points: Float32Array, centres: Float32Array, dimension: number, assignments: Int32Array): void {
  const clusters = centres.length / dimension;
  const sums = new Float64Array(clusters * dimension);
  const sizes = new Float64Array(clusters);
  assignments.forEach((centre, point) => {
    sizes[centre] = (sizes[centre] ?? 0) + 1;
    for (let axis = 0; axis < dimension; axis++) {
      sums[centre * dimension + axis] =
        (sums[centre * dimension + axis] ?? 0) + (points[point * dimension + axis] ?? 0);
    }
  });
  for (let centre = 0; centre < clusters; centre++) {
    const size = sizes[centre] ?? 0;
    if (size === 0) continue;
    for (let axis = 0; axis < dimension; axis++)
      centres[centre * dimension + axis] = (sums[centre * dimension + axis] ?? 0) / size;
  }
}

function totalDistance(
  points: Float32Array,
  centres: Float32Array,
  dimension: number,
  assignments: Int32Array,
): number {
  let total = 0;
  assignments.forEach((centre, point) => {
    total += squaredDistance(points, point, centres, centre, dimension);
  });
  return total;
}
