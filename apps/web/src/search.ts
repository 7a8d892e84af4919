/** The catalogue as the model file stores it: index = item id 1..N, index 0 is padding. */
export interface CatalogueLike {
  keys: readonly string[];
  titles: readonly (string | undefined)[];
}

export interface SearchHit {
  id: number;
  key: string;
  /** The title, or the key for the items the dataset has no title for. */
  label: string;
}

/** Lower case, punctuation as spaces: "gloves large" finds "Gloves, Large". */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A search over titles and keys, normalised once so each keystroke only scans strings. */
export function createCatalogueSearch(catalogue: CatalogueLike): (query: string, limit: number) => SearchHit[] {
  const items: (SearchHit & { text: string })[] = [];
  for (let id = 1; id < catalogue.keys.length; id++) {
    const key = catalogue.keys[id] ?? '';
    const label = catalogue.titles[id] || key;
    items.push({ id, key, label, text: normalize(`${label} ${key}`) });
  }
  return (query, limit) => {
    const phrase = normalize(query);
    if (phrase === '') return [];
    const words = phrase.split(' ');
    const matches = items.filter((item) => words.every((word) => item.text.includes(word)));
    // The whole phrase in order first (typing a title finds that item first), then catalogue order.
    const whole = matches.filter((item) => item.text.includes(phrase));
    const rest = matches.filter((item) => !item.text.includes(phrase));
    return [...whole, ...rest].slice(0, limit).map(({ id, key, label }) => ({ id, key, label }));
  };
}
