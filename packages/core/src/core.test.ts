import { describe, expect, it } from 'vitest';
import { createRng, DataFormatError, ImecdError, InvalidArgumentError } from './index';

describe('errors', () => {
  it('DataFormatError names file and line first', () => {
    const error = new DataFormatError('data/x.json', 12, 'missing field "asin"');
    expect(error.message).toBe('data/x.json:12: missing field "asin"');
    expect(error.code).toBe('DATA_FORMAT');
    expect(error.name).toBe('DataFormatError');
    expect(ImecdError.isInstance(error)).toBe(true);
    expect(ImecdError.isInstance(new Error('plain'))).toBe(false);
  });

  it('InvalidArgumentError keeps the argument name', () => {
    const error = new InvalidArgumentError('k', 'must be positive');
    expect(error.argument).toBe('k');
    expect(error.message).toContain('k');
  });
});

describe('createRng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it('draws uniform integers with the right mean and a standard normal', () => {
    const rng = createRng(1);
    let sum = 0;
    let sumNormal = 0;
    let sumSquares = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const v = rng.nextInt(10);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(10);
      sum += v;
      const z = rng.normal();
      sumNormal += z;
      sumSquares += z * z;
    }
    expect(sum / n).toBeCloseTo(4.5, 1);
    expect(sumNormal / n).toBeCloseTo(0, 1);
    expect(sumSquares / n).toBeCloseTo(1, 1);
  });

  it('shuffles to a permutation', () => {
    const values = Array.from({ length: 50 }, (_, i) => i);
    createRng(3).shuffle(values);
    expect([...values].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(values).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('rejects bad arguments', () => {
    expect(() => createRng(Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => createRng(1).nextInt(0)).toThrow(/positive integer/);
  });
});

describe('deriveSeed', () => {
  it('is stable, order-sensitive and spreads nearby inputs', async () => {
    const { deriveSeed } = await import('./index');
    expect(deriveSeed(1, 2)).toBe(deriveSeed(1, 2));
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(2, 1));
    const seeds = new Set(Array.from({ length: 1000 }, (_, epoch) => deriveSeed(42, epoch)));
    expect(seeds.size).toBe(1000);
    for (const seed of seeds) expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
  });
});
