import { defineSettings } from '@imecd/core';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SEQUENCE_ENCODER_SETTINGS } from './sequence-encoder-settings';
import { createTransformerEncoder } from './transformer-encoder';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  tf.disposeVariables();
});

describe('SEQUENCE_ENCODER_SETTINGS', () => {
  it("declares the encoder's own defaults, so a model's table says what its encoder does", () => {
    const encoder = createTransformerEncoder({ seed: 1 });
    const { defaults, keys } = defineSettings(SEQUENCE_ENCODER_SETTINGS);
    for (const key of keys) expect(encoder.config[key], key).toBe(defaults[key]);
    encoder.dispose();
  });
});
