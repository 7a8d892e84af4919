import { InvalidArgumentError } from '@imecd/core';
import * as tf from '@tensorflow/tfjs-core';
import type { RecommenderModel } from './model-contract';

export interface Recommendation {
  /** Dense item id (1..numItems). */
  item: number;
  /** The source's key (e.g. ASIN) when `itemKeys` were given. */
  key?: string;
  score: number;
}

export interface RecommendOptions {
  /** How many items. Default 10. */
  k?: number;
  /**
   * Item ids never to return. Default none: items already in the history may be recommended
   * again, exactly as the full-ranking protocol scores them.
   */
  exclude?: Iterable<number>;
  /** itemKeys[id] = the source's key; lets `history` be keys and fills `key` in the result. */
  itemKeys?: readonly string[];
}

/**
 * The top-k items for one history (oldest first), as ids or the source's keys. Unknown keys or
 * out-of-range ids are an error, never silently dropped.
 */
export function recommend(
  model: RecommenderModel,
  history: readonly (number | string)[],
  options: RecommendOptions = {},
): Recommendation[] {
  const { k = 10, itemKeys } = options;
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError('k', `expected a positive integer, got ${k}`);
  if (history.length === 0) throw new InvalidArgumentError('history', 'needs at least one item');
  const keyToId = itemKeys ? new Map(itemKeys.map((key, id) => [key, id])) : undefined;
  const ids = history.map((entry) => {
    if (typeof entry === 'string') {
      const id = keyToId?.get(entry);
      if (id === undefined || id === 0) {
        throw new InvalidArgumentError(
          'history',
          keyToId ? `unknown item "${entry}"` : `"${entry}" is a key, but no itemKeys were given`,
        );
      }
      return id;
    }
    if (!Number.isInteger(entry) || entry < 1 || entry > model.numItems) {
      throw new InvalidArgumentError('history', `item id ${entry} is outside 1..${model.numItems}`);
    }
    return entry;
  });
  const window = Int32Array.from(ids.slice(-model.maxLength));
  const scores = tf.tidy(() => model.scoreAll(window, 1, window.length));
  const values = scores.dataSync() as Float32Array;
  scores.dispose();

  const excluded = new Set([0, ...(options.exclude ?? [])]);
  const candidates: number[] = [];
  for (let item = 1; item <= model.numItems; item++) if (!excluded.has(item)) candidates.push(item);
  // Highest score first; equal scores by smaller id, so the list is deterministic.
  candidates.sort((a, b) => values[b]! - values[a]! || a - b);
  return candidates.slice(0, k).map((item) => ({
    item,
    ...(itemKeys ? { key: itemKeys[item] ?? '' } : {}),
    score: values[item]!,
  }));
}
