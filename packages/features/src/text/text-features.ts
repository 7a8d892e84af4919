/** Which n-grams a text is cut into; both ranges inclusive, `false` turns a kind off. */
export interface NgramOptions {
  /** Word n-gram lengths, e.g. [1, 2] = words and word pairs. */
  wordNgrams: readonly [number, number] | false;
  /** Character n-gram lengths inside each word padded with spaces, e.g. [3, 5]. */
  charNgrams: readonly [number, number] | false;
}

/** Term counts of one text, split by kind so each kind can be weighed on its own. */
export interface TermCounts {
  words: Map<string, number>;
  chars: Map<string, number>;
}

/** Lower-cased NFKC words: runs of letters and digits; punctuation and spaces separate them. */
export function wordsOf(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/**
 * Counts the word and character n-grams of `text`. Character n-grams stay inside one word (the
 * word padded with a space each side), so "3ds xl" shares grams with "3ds" but not across words.
 */
export function termCounts(text: string, options: NgramOptions): TermCounts {
  const words = wordsOf(text);
  const counts: TermCounts = { words: new Map(), chars: new Map() };
  const add = (map: Map<string, number>, term: string) => map.set(term, (map.get(term) ?? 0) + 1);
  if (options.wordNgrams !== false) {
    const [low, high] = options.wordNgrams;
    for (let n = low; n <= high; n++) {
      for (let start = 0; start + n <= words.length; start++)
        add(counts.words, `${n}:${words.slice(start, start + n).join(' ')}`);
    }
  }
  if (options.charNgrams !== false) {
    const [low, high] = options.charNgrams;
    for (const word of words) {
      const padded = ` ${word} `;
      for (let n = low; n <= high; n++) {
        for (let start = 0; start + n <= padded.length; start++) add(counts.chars, padded.slice(start, start + n));
      }
    }
  }
  return counts;
}
