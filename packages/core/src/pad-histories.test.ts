import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './errors';
import { padHistories } from './pad-histories';

describe('padHistories', () => {
  it('left-pads with 0, most recent item last, and keeps the last L of long histories', () => {
    const batch = padHistories([[5], [1, 2, 3, 4], [], Int32Array.from([7, 8])], 3);
    // prettier-ignore
    expect(Array.from(batch)).toEqual([0, 0, 5, 2, 3, 4, 0, 0, 0, 0, 7, 8]);
  });

  it('rejects a non-positive length', () => {
    expect(() => padHistories([[1]], 0)).toThrow(InvalidArgumentError);
  });
});
