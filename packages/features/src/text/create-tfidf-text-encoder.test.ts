import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '@imecd/core';
import { loadDataset } from '@imecd/data-amazon';
import { describe, expect, it } from 'vitest';
import { createTfidfTextEncoder } from './create-tfidf-text-encoder';
import { itemTexts } from './item-texts';

// SYNTHETIC corpus for the unit checks (the games check below uses the real shipped titles).
const CORPUS = [
  'Red racing car for kids',
  'Blue racing car',
  'Wooden puzzle with 100 pieces',
  'Puzzle box, wooden',
  '!!!',
];

function cosine(values: Float32Array, dim: number, a: number, b: number): number {
  let dot = 0;
  for (let column = 0; column < dim; column++) dot += values[a * dim + column]! * values[b * dim + column]!;
  return dot; // rows are L2-normalised
}

describe('createTfidfTextEncoder', () => {
  it('is deterministic: same corpus and options give the same bits; the seed changes them', async () => {
    const first = await createTfidfTextEncoder(CORPUS, { dim: 32 }).encode(CORPUS);
    const second = await createTfidfTextEncoder([...CORPUS], { dim: 32 }).encode(CORPUS);
    expect(Buffer.from(second.buffer).equals(Buffer.from(first.buffer))).toBe(true);
    const reseeded = await createTfidfTextEncoder(CORPUS, { dim: 32, seed: 7 }).encode(CORPUS);
    expect(Array.from(reseeded)).not.toEqual(Array.from(first));
  });

  it('gives L2-normalised rows of dim floats, and a zero row for a text without words', async () => {
    const encoder = createTfidfTextEncoder(CORPUS, { dim: 16 });
    const values = await encoder.encode(CORPUS);
    expect(values.length).toBe(CORPUS.length * 16);
    for (let row = 0; row < 4; row++) expect(cosine(values, 16, row, row)).toBeCloseTo(1, 5);
    expect(Array.from(values.subarray(4 * 16))).toEqual(new Array(16).fill(0));
    expect(cosine(values, 16, 0, 1)).toBeGreaterThan(cosine(values, 16, 0, 2));
  });

  it('names itself and its fitted corpus in the revision, and validates its options', () => {
    const encoder = createTfidfTextEncoder(CORPUS);
    expect(encoder).toMatchObject({ dim: 256, modelName: 'imecd/tfidf-projection', pooling: 'tfidf-projection' });
    expect(encoder.revision).toMatch(/^tfidf-projection-1;dim=256,seed=42,.*;corpus=5:[0-9a-f]{16}$/);
    expect(createTfidfTextEncoder(CORPUS.slice(1)).revision).not.toBe(encoder.revision);
    expect(() => createTfidfTextEncoder(CORPUS, { dim: 0 })).toThrow(InvalidArgumentError);
    expect(() => createTfidfTextEncoder(CORPUS, { wordNgrams: false, charNgrams: false })).toThrow(/both off/);
    expect(() => createTfidfTextEncoder(CORPUS, { charNgrams: [4, 3] })).toThrow(/1 ≤ min ≤ max/);
  });

  it('puts near-duplicate titles of the shipped games dataset closer than unrelated ones', async () => {
    const dataset = await loadDataset(fileURLToPath(new URL('../../../../datasets/games/', import.meta.url)), {
      features: false,
    });
    const { texts, source } = itemTexts(dataset);
    expect(source).toBe('text');
    const present = texts.map((text, item) => [text, item] as const).filter(([text]) => text !== undefined);
    const encoder = createTfidfTextEncoder(present.map(([text]) => text!));
    const values = await encoder.encode(present.map(([text]) => text!));
    const rowOf = new Map(present.map(([, item], row) => [dataset.itemKeys[item]!, row]));
    // Same game, other platform or edition (ASINs from datasets/games/items.tsv).
    const pairs: [string, string][] = [
      ['B00EEMLMW0', 'B00EEMLDZG'], // Call of Duty: Ghosts Hardened Edition - PlayStation 4 / - Xbox One
      ['B00CJ7IUI6', 'B00CJ7IUIQ'], // The Elder Scrolls V: Skyrim Legendary Edition - Playstation 3 / - PC
      ['B00JQHU9RC', 'B00NMO0IA8'], // Minecraft - PlayStation 3 / Minecraft - Xbox One Digital Code
    ];
    const dim = encoder.dim;
    for (const [a, b] of pairs) {
      const rowA = rowOf.get(a)!;
      const near = cosine(values, dim, rowA, rowOf.get(b)!);
      // Rank of the twin among all other titles by similarity to `a`: it must be in the top 0.2 %.
      let closer = 0;
      for (let row = 0; row < present.length; row++)
        if (row !== rowA && cosine(values, dim, rowA, row) > near) closer++;
      expect(closer, `${a} vs ${b}`).toBeLessThan(present.length * 0.002);
      expect(near).toBeGreaterThan(0.5);
    }
    // Unrelated: the mean similarity of 500 fixed pairs of different items is far below.
    let sum = 0;
    for (let index = 0; index < 500; index++)
      sum += cosine(values, dim, (index * 7919) % present.length, (index * 104729 + 13) % present.length);
    expect(sum / 500).toBeLessThan(0.15);
  }, 120_000);
});
