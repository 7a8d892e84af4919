/**
 * The shapes that flow through the data pipeline. Readers produce raw records keyed by the
 * source's own strings; the pipeline turns them into a `SequenceDataset` with dense ids.
 * `FeatureMatrix` and `ItemCodes` are @imecd/core's (models take them without this package).
 */

import type { FeatureMatrix, ItemCodes } from '@imecd/core';

export type { FeatureMatrix, ItemCodes };

/** One review/purchase as read from a source file, before any filtering. */
export interface RawInteraction {
  /** The source's user key (reviewerID, user_id, or a numeric id as a string). */
  user: string;
  /** The source's item key (ASIN, parent_asin, or a numeric id as a string). */
  item: string;
  /** Seconds since the epoch, or undefined when the source is already in time order. */
  time: number | undefined;
}

/** Item metadata as read from a meta file; every field optional because real meta is ragged. */
export interface RawItemMeta {
  item: string;
  title?: string;
  brand?: string;
  /** Flattened category path(s), most general first, duplicates removed. */
  categories?: string[];
  description?: string;
  /** The main image URL (2018: first of imageURLHighRes; 2014: imUrl; 2023: first large image). */
  imageUrl?: string;
}

/**
 * A next-item dataset with dense ids. Item ids run 1..numItems (0 is padding); user index u runs
 * 0..numUsers-1. Every sequence is in chronological order.
 */
export interface SequenceDataset {
  name: string;
  /** Which on-disk layout it came from: "sequential-txt", "lcrec-inter-json", "recbole-atomic", "amazon-raw". */
  layout: string;
  numUsers: number;
  numItems: number;
  /** sequences[u] = item ids of user u in time order. */
  sequences: Int32Array[];
  /** userKeys[u] = the source's user key. */
  userKeys: string[];
  /** itemKeys[i] = the source's item key for item id i (itemKeys[0] = "" for padding). */
  itemKeys: string[];
  /** itemText[i] = cleaned "title + categories + brand" text, when the source has it. */
  itemText?: (string | undefined)[];
  /** itemTitles[i] = raw title, when the source has one. */
  itemTitles?: (string | undefined)[];
  /** itemAttributes[i] = attribute ids (e.g. S3-Rec brand/category tokens), when present. */
  itemAttributes?: Int32Array[];
  /** Feature matrices by modality name. */
  features: Record<string, FeatureMatrix>;
  /**
   * Discrete item codes by modality name (semantic-code indexes declared in the folder's
   * `features.json`), when the dataset has any. A modality may have both a matrix and codes.
   */
  itemCodes?: Record<string, ItemCodes>;
}

/** Held-out next-item cases: user `users[j]` must predict `targets[j]` from `histories[j]`. */
export interface EvaluationSet {
  users: Int32Array;
  /** histories[j] = the last `maxHistory` items before targets[j], oldest first. */
  histories: Int32Array[];
  targets: Int32Array;
}

/**
 * Training data as one sequence per user: every item before the valid target, oldest first and
 * not truncated, so a causal model reads all prefix → next pairs in one pass.
 */
export interface TrainingSequences {
  users: Int32Array;
  sequences: Int32Array[];
}

/** A leave-one-out split: test = last item, valid = second to last, train = everything before. */
export interface LeaveOneOutSplit {
  train: TrainingSequences;
  valid: EvaluationSet;
  test: EvaluationSet;
  /** The history length the valid/test histories were cut to. */
  maxHistory: number;
}
