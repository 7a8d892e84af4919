import { describe, expect, it } from 'vitest';
import { datasetFingerprint } from './dataset-fingerprint';

const of = (numItems: number, ...sequences: number[][]) =>
  datasetFingerprint({ numItems, sequences: sequences.map((items) => Int32Array.from(items)) });

describe('datasetFingerprint', () => {
  it('is the same for the same interactions, whatever arrays hold them', () => {
    const views = new Int32Array([9, 1, 2, 3, 9]);
    const fromViews = datasetFingerprint({ numItems: 4, sequences: [views.subarray(1, 3), views.subarray(3, 4)] });
    expect(fromViews).toBe(of(4, [1, 2], [3]));
    expect(of(4, [1, 2], [3])).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('tells apart where one sequence ends and the next begins, the user order, and the item count', () => {
    const fingerprint = of(4, [1, 2], [3]);
    expect(of(4, [1], [2, 3])).not.toBe(fingerprint);
    expect(of(4, [3], [1, 2])).not.toBe(fingerprint);
    expect(of(5, [1, 2], [3])).not.toBe(fingerprint);
    expect(of(4, [1, 2], [3], [])).not.toBe(fingerprint);
  });
});
