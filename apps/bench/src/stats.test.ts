import { describe, expect, it } from 'vitest';
import { epochSeconds, median, perSecond, ratio, round, stratifiedSample } from './stats';

describe('stats', () => {
  it('takes medians of odd and even counts, and refuses an empty list', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });

  it('gives rates and ratios, or null when a side is missing', () => {
    expect(perSecond(10, 2)).toBe(5);
    expect(perSecond(10, 0)).toBeNull();
    expect(perSecond(10, null)).toBeNull();
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(null, 4)).toBeNull();
    expect(ratio(1, null)).toBeNull();
  });

  it('rounds to significant digits and keeps null', () => {
    expect(round(0.123456)).toBe(0.123);
    expect(round(1234.5, 4)).toBe(1235);
    expect(round(null)).toBeNull();
  });

  it('samples one batch per cost stratum, weighted by the stratum size', () => {
    // 10 cheap batches and 2 expensive ones: the sample must carry the expensive ones apart.
    const costs = [1, 1, 100, 1, 1, 1, 1, 1, 1, 100, 1, 1];
    const sample = stratifiedSample(costs, 6);
    expect(sample).toHaveLength(6);
    expect(sample.reduce((sum, entry) => sum + entry.weight, 0)).toBe(costs.length);
    const last = sample.at(-1)!;
    expect(costs[last.index]).toBe(100);
    expect(last.weight).toBe(2);
    expect(new Set(sample.map((entry) => entry.index)).size).toBe(6);
  });

  it('takes every batch once when the sample is as large as the epoch', () => {
    const sample = stratifiedSample([5, 3, 4], 10);
    expect(sample.map((entry) => entry.index).sort()).toEqual([0, 1, 2]);
    expect(sample.every((entry) => entry.weight === 1)).toBe(true);
    expect(() => stratifiedSample([1], 0)).toThrow(/positive integer/);
  });

  it('extrapolates an epoch as the weighted sum of step times', () => {
    expect(epochSeconds([0.5, 2], [10, 2])).toBe(9);
    expect(() => epochSeconds([1], [1, 1])).toThrow(/1 step times for 2 weights/);
  });
});
