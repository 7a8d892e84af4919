/**
 * Per-item side information as plain typed arrays, aligned with item ids 0..numItems (0 is
 * padding). Readers (@imecd/data-amazon) produce these shapes and models (@imecd/imecd) consume
 * them, so they live here: a model needs no data reader to be given features.
 */

/** A dense item-by-dimension matrix for one modality, aligned with item ids 0..numItems. */
export interface FeatureMatrix {
  /** Modality name, e.g. "text" or "image". */
  modality: string;
  dim: number;
  /** Row-major, (numItems + 1) × dim; row 0 (padding) and rows of missing items are zeros. */
  values: Float32Array;
  /** (numItems + 1) entries; 1 where the item has this modality, 0 for padding and missing items. */
  mask: Uint8Array;
  /** Where it was read from (for messages and provenance). */
  source: string;
}

/**
 * Discrete item codes of one modality, e.g. a residual quantizer's 4 codes of 256 per item over an
 * image or text embedding (LC-Rec, MQL4GRec): a sparse form of a levels-hot vector of width
 * levels × codesPerLevel, which is never materialised.
 */
export interface ItemCodes {
  /** Modality name, e.g. "text" or "image". */
  modality: string;
  /** Codes per item (the quantizer's levels). */
  levels: number;
  /** Codes each level can take. */
  codesPerLevel: number;
  /** Row-major, (numItems + 1) × levels, each in [0, codesPerLevel); rows of padding and missing items are zeros (see mask). */
  codes: Int32Array;
  /** (numItems + 1) entries; 1 where the item has codes, 0 for padding and missing items. */
  mask: Uint8Array;
  /** Where it was read from (for messages and provenance). */
  source: string;
}
