/** What a pretrained model needs on disk and how its outputs become one vector. */
export interface ModelCard {
  kind: 'text' | 'image';
  /** Output floats per item. */
  dim: number;
  /** The pooling its model card prescribes. */
  pooling: 'cls' | 'mean' | 'clip-image-embeds';
  /** Files besides the ONNX weights, relative to the model folder. */
  files: readonly string[];
  /** ONNX file name stem under onnx/ (transformers.js adds `_quantized` for dtype q8). */
  onnx: string;
  why: string;
}

/**
 * Models whose folders we know. Pooling follows each model card: BERT has no sentence head, and
 * UniSRec-style features (`.feat1CLS`) take its [CLS] vector; sentence-transformers models such
 * as all-MiniLM-L6-v2 are trained for mean pooling; CLIP's image embedding is the projection of
 * its pooled [CLS] patch token (`image_embeds`).
 */
export const KNOWN_MODELS: Record<string, ModelCard> = {
  'Xenova/bert-base-uncased': {
    kind: 'text',
    dim: 768,
    pooling: 'cls',
    onnx: 'model',
    files: ['config.json', 'tokenizer.json', 'tokenizer_config.json'],
    why: '[CLS] vector, as UniSRec/MISSRec-style .feat1CLS features use it',
  },
  'Xenova/all-MiniLM-L6-v2': {
    kind: 'text',
    dim: 384,
    pooling: 'mean',
    onnx: 'model',
    files: ['config.json', 'tokenizer.json', 'tokenizer_config.json'],
    why: 'mean pooling, as its sentence-transformers model card prescribes',
  },
  'Xenova/clip-vit-base-patch32': {
    kind: 'image',
    dim: 512,
    pooling: 'clip-image-embeds',
    onnx: 'vision_model',
    files: ['config.json', 'preprocessor_config.json'],
    why: 'CLIP image_embeds: the projected pooled [CLS] patch token',
  },
};

/** Files a folder for `card` must hold for `dtype`: the card's files and `onnx/<stem>[_quantized].onnx`. */
export function expectedFiles(card: Pick<ModelCard, 'files' | 'onnx'>, dtype: 'fp32' | 'q8'): string[] {
  return [...card.files, `onnx/${card.onnx}${dtype === 'q8' ? '_quantized' : ''}.onnx`];
}
