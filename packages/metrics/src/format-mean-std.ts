import { InvalidArgumentError } from '@imecd/core';

/** "0.0374 ± 0.0012": mean and std with the same number of decimals, for result tables. */
export function formatMeanStd(value: { mean: number; std: number }, digits = 4): string {
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new InvalidArgumentError('digits', `expected an integer in [0, 20], got ${digits}`);
  }
  return `${fixed(value.mean, digits)} ± ${fixed(value.std, digits)}`;
}

/** toFixed without the "-0.0000" that a tiny negative mean would otherwise print. */
function fixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}
