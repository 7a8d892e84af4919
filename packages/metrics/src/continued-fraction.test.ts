import { describe, expect, it } from 'vitest';
import { continuedFraction } from './continued-fraction';

describe('continuedFraction', () => {
  it('evaluates the fractions of the golden ratio and √2', () => {
    // φ = 1 + 1/(1 + 1/(1 + …)); √2 = 1 + 1/(2 + 1/(2 + …)).
    expect(continuedFraction(1, () => [1, 1])).toBeCloseTo((1 + Math.sqrt(5)) / 2, 14);
    expect(continuedFraction(1, () => [1, 2])).toBeCloseTo(Math.SQRT2, 14);
  });
});
