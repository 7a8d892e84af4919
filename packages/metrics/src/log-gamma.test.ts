import { describe, expect, it } from 'vitest';
import { logBeta, logGamma } from './log-gamma';

describe('logGamma', () => {
  it('matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(2)).toBeCloseTo(0, 14);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    let logFactorial = 0; // ln 99!
    for (let n = 2; n <= 99; n++) logFactorial += Math.log(n);
    expect(logGamma(100)).toBeCloseTo(logFactorial, 10);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
  });

  it('satisfies Γ(x + 1) = x Γ(x) across the shift threshold', () => {
    for (const x of [0.01, 0.3, 3.7, 14.5, 20.5]) expect(logGamma(x + 1) - logGamma(x)).toBeCloseTo(Math.log(x), 12);
  });

  it('is NaN outside x > 0', () => {
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1.5)).toBeNaN();
  });
});

describe('logBeta', () => {
  it('matches closed forms for small and large arguments', () => {
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14); // B(2, 3) = 1! 2! / 4! = 1/12
    expect(logBeta(1, 1e6)).toBeCloseTo(-Math.log(1e6), 12); // B(1, b) = 1/b
    expect(logBeta(20, 15.5)).toBeCloseTo(logGamma(20) + logGamma(15.5) - logGamma(35.5), 11);
    expect(logBeta(0, 1)).toBeNaN();
  });
});
