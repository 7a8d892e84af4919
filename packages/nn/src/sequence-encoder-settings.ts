import type { SettingSpecs } from '@imecd/core';

/**
 * The encoder settings that models built on {@link createTransformerEncoder} expose as their own
 * (SASRec, IMECD's stream encoders), declared once with RecBole's SASRec defaults; a model spreads
 * them into its `defineSettings` declaration.
 */
export const SEQUENCE_ENCODER_SETTINGS = {
  hiddenSize: { kind: 'integer', default: 64, min: 1, doc: 'model width D (item vectors, states, positions)' },
  numLayers: { kind: 'integer', default: 2, min: 0, doc: 'Transformer blocks of the sequence encoder' },
  numHeads: { kind: 'integer', default: 2, min: 1, doc: 'attention heads per block; must divide hiddenSize' },
  innerSize: { kind: 'integer', default: 256, min: 1, doc: 'width of the feed-forward layer' },
  dropout: {
    kind: 'number',
    default: 0.5,
    min: 0,
    max: 1,
    exclusiveMax: true,
    doc: 'hidden dropout (embeddings, attention output, feed-forward output)',
  },
  attentionDropout: {
    kind: 'number',
    default: 0.5,
    min: 0,
    max: 1,
    exclusiveMax: true,
    doc: 'dropout on the attention probabilities',
  },
  maxLength: { kind: 'integer', default: 50, min: 1, doc: 'positions of the encoder: the history length read' },
} as const satisfies SettingSpecs;
