import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from './create-model';
import { createPop } from './pop';
import { useCpuBackend } from './test-backend.test-helper';

beforeAll(useCpuBackend);

describe('createPop', () => {
  // Synthetic: training parts [1, 2], [1]; full sequences add the held-out items 3, 3 and 2, 3.
  const trainingSequences = [Int32Array.from([1, 2]), Int32Array.from([1])];
  const fullSequences = [Int32Array.from([1, 2, 3, 3]), Int32Array.from([1, 2, 3])];
  const scoresOf = (countFrom: 'train' | 'all') => {
    const pop = createPop({ numItems: 3, countFrom });
    pop.fit!({ trainingSequences, fullSequences });
    const scores = pop.scoreAll(Int32Array.from([1, 2]), 2, 1);
    const values = Array.from(scores.dataSync());
    scores.dispose();
    return values;
  };

  it('counts the training part only by default, the same scores for every user', () => {
    expect(scoresOf('train')).toEqual([-Infinity, 2, 1, 0, -Infinity, 2, 1, 0]);
  });

  it("counts every interaction with countFrom 'all' (the leaky S3-Rec convention)", () => {
    expect(scoresOf('all')).toEqual([-Infinity, 2, 2, 3, -Infinity, 2, 2, 3]);
  });

  it('refuses to score before fit, and to count all without full sequences', () => {
    const pop = createPop({ numItems: 3, countFrom: 'all' });
    expect(() => pop.scoreAll(Int32Array.from([1]), 1, 1)).toThrow(/fitted/);
    expect(() => pop.fit!({ trainingSequences })).toThrow(/full sequence/);
    expect(() => createPop({ numItems: 3, countFrom: 'test' as 'all' })).toThrow(/countFrom/);
  });

  it('saves what fit counted and restores it into an unfitted Pop, which then scores the same', () => {
    const fitted = createPop({ numItems: 3 });
    expect(() => fitted.saveFitted!()).toThrow(/fitted before/);
    fitted.fit!({ trainingSequences });
    const restored = createPop({ numItems: 3 });
    restored.restoreFitted!(fitted.saveFitted!());
    const scores = restored.scoreAll(Int32Array.from([1]), 1, 1);
    expect(Array.from(scores.dataSync())).toEqual([-Infinity, 2, 1, 0]);
    scores.dispose();
    expect(() => restored.restoreFitted!(new Float32Array(3))).toThrow(/expected 4 counts/);
  });
});

describe('createModel', () => {
  it('rejects unknown models, unknown hyperparameters and wrong types', () => {
    expect(() => createModel('gru4rec', { numItems: 5 })).toThrow(/unknown model "gru4rec"/);
    expect(() => createModel('sasrec', { numItems: 5, hyperparameters: { hiddenSiz: 8 } })).toThrow(
      /sasrec has no setting "hiddenSiz"; known: hiddenSize, numLayers/,
    );
    expect(() => createModel('pop', { numItems: 5, hyperparameters: { countFrom: 1 } })).toThrow(
      "Invalid countFrom: expected 'train' | 'all', got 1",
    );
  });
});
