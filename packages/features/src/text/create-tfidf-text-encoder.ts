import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '@imecd/core';
import type { TextEncoder } from '../encoder';
import { normaliseRow } from '../normalise-row';
import { hashString, mix32 } from './hash-string';
import { type NgramOptions, type TermCounts, termCounts } from './text-features';

/** Options of `createTfidfTextEncoder`; every field has a default. */
export interface TfidfTextEncoderArgs {
  /** Output dimension D. Default 256. */
  dim?: number;
  /** Seed of the fixed random projection. Default 42. */
  seed?: number;
  /** Word n-gram lengths [min, max], or false. Default [1, 2]. */
  wordNgrams?: readonly [number, number] | false;
  /** Character n-gram lengths [min, max] inside words, or false (e.g. for attribute tokens). Default [3, 5]. */
  charNgrams?: readonly [number, number] | false;
  /** Share of the vector's energy given to character n-grams when a text has both kinds. Default 0.5. */
  charWeight?: number;
  /** Non-zeros per term in the sparse projection (±1/√k each). Default 8. */
  nonZerosPerTerm?: number;
}

/** The version of this recipe; part of `revision`, so files made by another recipe never resume. */
const RECIPE = 'tfidf-projection-1';

/**
 * An offline text encoder that needs no downloaded weights: TF-IDF over word and character
 * n-grams, with the IDF fitted on `corpus` (the dataset's own item texts), then a fixed seeded
 * sparse random projection to `dim` dimensions and L2 normalisation. Same corpus, same options →
 * the same vectors, bit for bit. It sees spelling, not meaning: it is weaker than a pretrained
 * sentence encoder and is meant for offline use, tests and as a baseline.
 */
export function createTfidfTextEncoder(corpus: readonly string[], args: TfidfTextEncoderArgs = {}): TextEncoder {
  const {
    dim = 256,
    seed = 42,
    wordNgrams = [1, 2],
    charNgrams = [3, 5],
    charWeight = 0.5,
    nonZerosPerTerm = 8,
  } = args;
  if (!Number.isInteger(dim) || dim < 1)
    throw new InvalidArgumentError('dim', `expected a positive integer, got ${dim}`);
  if (!Number.isInteger(seed)) throw new InvalidArgumentError('seed', `expected an integer, got ${seed}`);
  if (!(charWeight >= 0 && charWeight <= 1))
    throw new InvalidArgumentError('charWeight', `expected a number in [0, 1], got ${charWeight}`);
  if (!Number.isInteger(nonZerosPerTerm) || nonZerosPerTerm < 1) {
    throw new InvalidArgumentError('nonZerosPerTerm', `expected a positive integer, got ${nonZerosPerTerm}`);
  }
  for (const [name, range] of [
    ['wordNgrams', wordNgrams],
    ['charNgrams', charNgrams],
  ] as const) {
    if (
      range !== false &&
      !(Number.isInteger(range[0]) && Number.isInteger(range[1]) && range[0] >= 1 && range[1] >= range[0])
    ) {
      throw new InvalidArgumentError(
        name,
        `expected [min, max] with 1 ≤ min ≤ max, or false; got ${JSON.stringify(range)}`,
      );
    }
  }
  if (wordNgrams === false && charNgrams === false)
    throw new InvalidArgumentError('wordNgrams', 'word and character n-grams are both off');
  const ngrams: NgramOptions = { wordNgrams, charNgrams };

  // Document frequencies over the corpus; a term never seen there gets the largest IDF.
  const documentFrequency = new Map<string, number>();
  const corpusHash = createHash('sha256');
  for (const text of corpus) {
    corpusHash.update(`${text}\n`);
    const counts = termCounts(text, ngrams);
    for (const term of [...counts.words.keys(), ...counts.chars.keys()])
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const documents = corpus.length;
  const idf = (term: string) => Math.log((1 + documents) / (1 + (documentFrequency.get(term) ?? 0))) + 1;

  const settings = `dim=${dim},seed=${seed},words=${wordNgrams},chars=${charNgrams},charWeight=${charWeight},k=${nonZerosPerTerm}`;
  const revision = `${RECIPE};${settings};corpus=${documents}:${corpusHash.digest('hex').slice(0, 16)}`;
  const scale = 1 / Math.sqrt(nonZerosPerTerm);

  /** Adds the projection of one L2-normalised TF-IDF block, times `weight`, to `out`. */
  const projectBlock = (terms: Map<string, number>, weight: number, out: Float32Array, offset: number): void => {
    const weighted: [string, number][] = [];
    let norm = 0;
    for (const [term, count] of terms) {
      const value = (1 + Math.log(count)) * idf(term); // sublinear TF: a repeated word is not worth k words
      weighted.push([term, value]);
      norm += value * value;
    }
    if (norm === 0 || weight === 0) return;
    const factor = (weight * scale) / Math.sqrt(norm);
    for (const [term, value] of weighted) {
      const hash = hashString(term, seed);
      for (let j = 0; j < nonZerosPerTerm; j++) {
        const bits = mix32(hash + Math.imul(j + 1, 0x9e3779b9));
        const sign = (bits & 1) === 0 ? 1 : -1;
        out[offset + ((bits >>> 1) % dim)]! += sign * factor * value;
      }
    }
  };

  const encodeOne = (counts: TermCounts, out: Float32Array, offset: number): void => {
    const hasWords = counts.words.size > 0;
    const hasChars = counts.chars.size > 0;
    const charShare = hasWords && hasChars ? charWeight : hasChars ? 1 : 0;
    projectBlock(counts.words, Math.sqrt(1 - charShare), out, offset);
    projectBlock(counts.chars, Math.sqrt(charShare), out, offset);
    normaliseRow(out, offset, dim); // no terms at all: a zero row, which the writer records as missing
  };

  return {
    dim,
    modelName: 'imecd/tfidf-projection',
    revision,
    pooling: 'tfidf-projection',
    async encode(texts) {
      const out = new Float32Array(texts.length * dim); // [texts, D]
      texts.forEach((text, row) => {
        encodeOne(termCounts(text, ngrams), out, row * dim);
      });
      return out;
    },
  };
}
