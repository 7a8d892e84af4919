import { InvalidArgumentError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { fitKMeans } from './k-means';

// Three synthetic blobs of three 2-D points each; their means are (0, 1/3), (10, 10 + 1/3), (−10, 1/3).
const POINTS = Float32Array.from([
  0, 0, 0.5, 0.5, -0.5, 0.5, 10, 10, 10.5, 10.5, 9.5, 10.5, -10, 0, -9.5, 0.5, -10.5, 0.5,
]);

describe('fitKMeans', () => {
  it('finds the means of well-separated blobs, with matching assignments and inertia', () => {
    const { centres, assignments, inertia } = fitKMeans(POINTS, { dimension: 2, clusters: 3, seed: 1 });
    const found = [0, 1, 2]
      .map((centre) => [centres[2 * centre]!, centres[2 * centre + 1]!])
      .sort((a, b) => a[0]! - b[0]!);
    const expected = [
      [-10, 1 / 3],
      [0, 1 / 3],
      [10, 10 + 1 / 3],
    ];
    for (const [index, centre] of found.entries()) {
      for (const [axis, value] of centre.entries()) expect(value).toBeCloseTo(expected[index]![axis]!, 5);
    }
    // Points of one blob share a centre; different blobs do not.
    expect(new Set([assignments[0], assignments[1], assignments[2]]).size).toBe(1);
    expect(new Set([assignments[0], assignments[3], assignments[6]]).size).toBe(3);
    // Each blob: distances² to its mean are 1/9, 0.25 + 1/36, 0.25 + 1/36 → 2/3 per blob.
    expect(inertia).toBeCloseTo(2, 4);
  });

  it('seeds by k-means++: far blobs get a seed each, and the seeds are data points', () => {
    for (let seed = 0; seed < 20; seed++) {
      const { centres } = fitKMeans(POINTS, { dimension: 2, clusters: 3, iterations: 0, seed });
      const blobs = new Set([0, 1, 2].map((centre) => Math.round(centres[2 * centre]! / 10))); // −1, 0, 1: which blob
      expect(blobs.size).toBe(3);
      for (let centre = 0; centre < 3; centre++) {
        const isPoint = [...Array(9).keys()].some(
          (point) => POINTS[2 * point] === centres[2 * centre] && POINTS[2 * point + 1] === centres[2 * centre + 1],
        );
        expect(isPoint).toBe(true);
      }
    }
  });

  it('is deterministic per seed', () => {
    const points = Float32Array.from({ length: 60 }, (_, index) => Math.sin(index * 1.7) * 3);
    const first = fitKMeans(points, { dimension: 3, clusters: 4, seed: 5 });
    expect(fitKMeans(points, { dimension: 3, clusters: 4, seed: 5 })).toEqual(first);
  });

  it('repeats points when there are fewer distinct points than clusters', () => {
    const { centres, inertia } = fitKMeans(Float32Array.from([1, 1, 1, 1, 4, 4]), {
      dimension: 2,
      clusters: 3,
      seed: 2,
    });
    expect(Array.from(centres).every((value) => value === 1 || value === 4)).toBe(true);
    expect(inertia).toBe(0);
  });

  it('rejects bad options and ragged points', () => {
    expect(() => fitKMeans(POINTS, { dimension: 0, clusters: 2 })).toThrow(InvalidArgumentError);
    expect(() => fitKMeans(POINTS, { dimension: 2, clusters: 0 })).toThrow(/clusters/);
    expect(() => fitKMeans(POINTS, { dimension: 2, clusters: 2, iterations: -1 })).toThrow(/iterations/);
    expect(() => fitKMeans(POINTS, { dimension: 4, clusters: 2 })).toThrow(/multiple of dimension 4/);
    expect(() => fitKMeans(new Float32Array(), { dimension: 2, clusters: 2 })).toThrow(/points/);
  });
});
