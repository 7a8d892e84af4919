import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { backendOptions } from './cli-args';

describe('backendOptions', () => {
  it('takes --threads, else leaves IMECD_THREADS to selectBackend, else shares the cores among the jobs', () => {
    expect(backendOptions({ threads: '3' }, { IMECD_THREADS: '2' })).toEqual({ threads: 3 });
    expect(backendOptions({ backend: 'wasm' }, { IMECD_THREADS: '2' })).toEqual({ backend: 'wasm' });
    expect(backendOptions({}, {})).toEqual({ threads: availableParallelism() });
    expect(backendOptions({}, {}, 2)).toEqual({ threads: Math.max(1, Math.floor(availableParallelism() / 2)) });
    expect(backendOptions({}, {}, 64)).toEqual({ threads: 1 });
  });

  it('names a bad flag', () => {
    expect(() => backendOptions({ threads: '0' }, {})).toThrow('--threads: expected a positive integer, got 0');
    expect(() => backendOptions({ backend: 'gpu' }, {})).toThrow(/--backend/);
  });
});
