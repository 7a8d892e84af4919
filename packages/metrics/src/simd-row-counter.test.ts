import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileRowCounts } from '../scripts/compile-row-counts.mjs';
import { createRowRanker, type TieMode } from './row-ranker';
import { createSimdRowCounter } from './simd-row-counter';

/** Synthetic scores: uniform in [-2, 2) from a seeded LCG, rounded to float32. */
function syntheticRow(length: number, seed: number): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length }, () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return (state / 2 ** 32) * 4 - 2;
  });
}

function jsCounts(scores: Float32Array, offset: number, length: number, target: number) {
  let higher = 0;
  let notLower = 0;
  for (let column = offset; column < offset + length; column++) {
    higher += +(scores[column]! > target);
    notLower += +!(scores[column]! < target);
  }
  return { higher, notLower };
}

describe('createSimdRowCounter', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.resetModules();
  });

  it('is built from wasm/row-counts.wat (the committed bytes are a fresh compile)', async () => {
    const { readFileSync } = await import('node:fs');
    const committed = readFileSync(new URL('./row-counts-wasm.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await compileRowCounts());
  });

  it('counts like the JavaScript loop for every row length around the 8-float turn, at offsets', () => {
    for (let length = 1; length <= 41; length++) {
      const counter = createSimdRowCounter(length)!;
      const batch = syntheticRow(3 * length, length);
      for (let row = 0; row < 3; row++) {
        const offset = row * length;
        const target = batch[offset + ((row * 5) % length)]!;
        expect({ ...counter.count(batch, offset, target) }).toEqual(jsCounts(batch, offset, length, target));
      }
    }
  });

  it('counts ties, infinities, signed zeros and NaNs like the JavaScript loop', () => {
    const special = [0, -0, 0.25, 0.25, -0.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 0.25];
    const row = Float32Array.from({ length: 45 }, (_, index) => special[index % special.length]!);
    const counter = createSimdRowCounter(row.length)!;
    for (const target of [0, -0, 0.25, -0.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect({ ...counter.count(row, 0, target) }).toEqual(jsCounts(row, 0, row.length, target));
    }
  });

  it('grows its memory past one 64 KiB page for a large catalogue', () => {
    const length = 40_003; // 160 KB of floats: three pages
    const row = syntheticRow(length, 7);
    expect({ ...createSimdRowCounter(length)!.count(row, 0, row[123]!) }).toEqual(jsCounts(row, 0, length, row[123]!));
  });

  it("keeps counting after another counter's larger catalogue grew the shared memory", () => {
    const small = createSimdRowCounter(37)!;
    const smallRow = syntheticRow(37, 3);
    expect({ ...small.count(smallRow, 0, smallRow[5]!) }).toEqual(jsCounts(smallRow, 0, 37, smallRow[5]!));
    const length = 200_003; // 800 KB: more pages than any counter above asked for
    const largeRow = syntheticRow(length, 4);
    expect({ ...createSimdRowCounter(length)!.count(largeRow, 0, largeRow[9]!) }).toEqual(
      jsCounts(largeRow, 0, length, largeRow[9]!),
    );
    expect({ ...small.count(smallRow, 0, smallRow[7]!) }).toEqual(jsCounts(smallRow, 0, 37, smallRow[7]!));
  });

  it('is missing where WebAssembly SIMD does not validate, and rows are then counted in JavaScript', async () => {
    vi.resetModules();
    const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
    vi.spyOn(wasm, 'validate').mockReturnValue(false);
    const fresh = await import('./simd-row-counter');
    expect(fresh.createSimdRowCounter(10)).toBeUndefined();
    const { createRowRanker: createFreshRanker } = await import('./row-ranker');
    expect(createFreshRanker(3, 'expected', []).rank(new Float32Array([0.2, 0.7, 0.4]), 0, 2)).toBe(1);
  });
});

describe('createSimdRowCounter where WebAssembly is forbidden', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.resetModules();
  });

  it('is missing when compiling throws (a Content-Security-Policy without wasm-unsafe-eval), and ranks still come', async () => {
    vi.resetModules();
    const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } }).WebAssembly;
    vi.spyOn(wasm, 'Module').mockImplementation(() => {
      throw new Error('CompileError: WebAssembly.Module(): Refused to compile (synthetic)');
    });
    const fresh = await import('./simd-row-counter');
    expect(fresh.createSimdRowCounter(10)).toBeUndefined();
    const { createRowRanker: createFreshRanker } = await import('./row-ranker');
    expect(createFreshRanker(3, 'strict', []).rank(new Float32Array([0.2, 0.7, 0.4]), 0, 0)).toBe(2);
  });
});

describe('createRowRanker with SIMD counting', () => {
  it('ranks exactly as the JavaScript counting under every tie rule, with excluded columns and histories', () => {
    const numItems = 1_001;
    const batch = syntheticRow(4 * numItems, 99);
    batch.fill(batch[numItems + 10]!, numItems + 20, numItems + 30); // row 1: ten ties with its target
    batch[2 * numItems + 500] = Number.NaN; // row 2: a NaN
    for (const ties of ['expected', 'strict', 'optimistic'] satisfies TieMode[]) {
      const simd = createRowRanker(numItems, ties, [0, 3]);
      const js = createRowRanker(numItems, ties, [0, 3], 'js');
      for (let row = 0; row < 4; row++) {
        const history = [5, 10, 10, 3, 700 + row, 20];
        for (const target of [10, 1000, 20 + row]) {
          const simdRank = simd.rank(batch, row * numItems, target, history);
          expect(simdRank).toEqual(js.rank(batch, row * numItems, target, history));
          expect(simd.rank(batch, row * numItems, target)).toEqual(js.rank(batch, row * numItems, target));
        }
      }
    }
  });
});
