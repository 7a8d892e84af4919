import { InvalidArgumentError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { formatMeanStd } from './format-mean-std';

describe('formatMeanStd', () => {
  it('prints mean ± std with 4 decimals by default', () => {
    expect(formatMeanStd({ mean: 0.03741, std: 0.00118 })).toBe('0.0374 ± 0.0012');
    expect(formatMeanStd({ mean: 0.03741, std: 0.00118 }, 2)).toBe('0.04 ± 0.00');
  });

  it('never prints a negative zero', () => {
    expect(formatMeanStd({ mean: -0.00001, std: 0 })).toBe('0.0000 ± 0.0000');
    expect(formatMeanStd({ mean: -0.4, std: 0 }, 0)).toBe('0 ± 0');
    expect(formatMeanStd({ mean: -0.02, std: 0.01 })).toBe('-0.0200 ± 0.0100');
  });

  it('rejects a bad number of digits', () => {
    expect(() => formatMeanStd({ mean: 0, std: 0 }, -1)).toThrow(InvalidArgumentError);
    expect(() => formatMeanStd({ mean: 0, std: 0 }, 1.5)).toThrow(/digits/);
  });
});
