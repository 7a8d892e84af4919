import { ShapeMismatchError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { normalTwoSidedPValue } from './normal-distribution';
import { wilcoxonSignedRank } from './wilcoxon-signed-rank';

// Synthetic differences a − b = [0, 1, −1, 2, 3, −4, 5] (b is all zeros).
//   The zero is dropped: n = 6. |d| sorted: 1, 1, 2, 3, 4, 5 → ranks 1.5, 1.5, 3, 4, 5, 6.
//   W+ = 1.5 (d = 1) + 3 + 4 + 6 = 14.5; W− = 1.5 + 5 = 6.5; W+ + W− = 21 = 6·7/2.
//   mean = 6·7/4 = 10.5; variance = 6·7·13/24 − (2³ − 2)/48 = 22.75 − 0.125 = 22.625.
//   z = (14.5 − 10.5)/√22.625 = 4/4.7565744 = 0.8409413; p = 2(1 − Φ(0.84)) ≈ 2(1 − 0.7995) = 0.401.
const a = [0, 1, -1, 2, 3, -4, 5];
const b = [0, 0, 0, 0, 0, 0, 0];

describe('wilcoxonSignedRank', () => {
  it('matches a hand computation with a zero and a tie', () => {
    const result = wilcoxonSignedRank(a, b);
    expect(result.n).toBe(6);
    expect(result.zeros).toBe(1);
    expect(result.wPlus).toBe(14.5);
    expect(result.wMinus).toBe(6.5);
    expect(result.z).toBeCloseTo(4 / Math.sqrt(22.625), 12);
    expect(result.pValue).toBeCloseTo(normalTwoSidedPValue(4 / Math.sqrt(22.625)), 14);
    expect(result.pValue).toBeCloseTo(0.401, 2);
  });

  it('moves |W+ − mean| half a unit towards the mean with continuity correction', () => {
    // z = (4 − 0.5)/4.7565744 = 0.7358237.
    const result = wilcoxonSignedRank(a, b, { continuityCorrection: true });
    expect(result.z).toBeCloseTo(3.5 / Math.sqrt(22.625), 12);
    expect(result.pValue).toBeGreaterThan(wilcoxonSignedRank(a, b).pValue);
  });

  it('matches a hand computation without ties', () => {
    // d = [1, 2, 3, 4, 5], all positive: W+ = 15, mean 7.5, variance 5·6·11/24 = 13.75,
    // z = 7.5/3.7080992 = 2.0225996; p = 2(1 − Φ(2.02)) ≈ 2(1 − 0.9783) = 0.043.
    const result = wilcoxonSignedRank([1, 2, 3, 4, 5], [0, 0, 0, 0, 0]);
    expect(result.wPlus).toBe(15);
    expect(result.z).toBeCloseTo(7.5 / Math.sqrt(13.75), 12);
    expect(result.pValue).toBeCloseTo(0.043, 3);
  });

  it('swaps W+ and W− and negates z when the models swap', () => {
    const forward = wilcoxonSignedRank(a, b);
    const backward = wilcoxonSignedRank(b, a);
    expect(backward.wPlus).toBe(forward.wMinus);
    expect(backward.z).toBeCloseTo(-forward.z, 14);
    expect(backward.pValue).toBeCloseTo(forward.pValue, 14);
  });

  it('gives p = 1, not NaN, for equal arrays', () => {
    expect(wilcoxonSignedRank([0.1, 0.2], [0.1, 0.2])).toEqual({
      n: 0,
      zeros: 2,
      wPlus: 0,
      wMinus: 0,
      z: 0,
      pValue: 1,
    });
  });

  it('rejects mismatched lengths, empty input and NaN', () => {
    expect(() => wilcoxonSignedRank([1, 2], [1])).toThrow(ShapeMismatchError);
    expect(() => wilcoxonSignedRank([], [])).toThrow(/at least 1/);
    expect(() => wilcoxonSignedRank([Number.NaN], [0])).toThrow(/pair 0/);
  });
});
