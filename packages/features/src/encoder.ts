/**
 * What every encoder says about itself; the feature writer copies it into the manifest, so a
 * feature file always names the model, version and pooling that made it.
 */
export interface EncoderInfo {
  /** Floats per output row. */
  readonly dim: number;
  /** e.g. "Xenova/bert-base-uncased" or "imecd/tfidf-projection". */
  readonly modelName: string;
  /** A commit, a hash of the weights, or the encoder's own version with its settings. */
  readonly revision: string;
  /** How token or patch vectors became one vector: "cls", "mean", "tfidf-projection", ... */
  readonly pooling: string;
}

/** Texts in, one row of `dim` floats per text out (row-major, texts.length × dim). */
export interface TextEncoder extends EncoderInfo {
  encode(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<Float32Array>;
}

/** An image as downloaded: its bytes and, when the server said so, its content type. */
export interface ImageInput {
  bytes: Uint8Array;
  contentType?: string;
}

/** Images in, one row of `dim` floats per image out (row-major, images.length × dim). */
export interface ImageEncoder extends EncoderInfo {
  encode(images: readonly ImageInput[], options?: { signal?: AbortSignal }): Promise<Float32Array>;
}

/** The part of an encoder the writer records: what the manifest and the resume check compare. */
export function encoderInfo(encoder: EncoderInfo): EncoderInfo {
  return { dim: encoder.dim, modelName: encoder.modelName, revision: encoder.revision, pooling: encoder.pooling };
}
