import { selectBackend } from '@imecd/backend';
import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import { expectGradientsClose, expectNoLeakedTensors, expectTensorsClose } from '@imecd/nn/testing';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createModalityQuantizers } from './modality-quantizers';
import { syntheticTensor } from './synthetic.test-helper';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu', env: {} });
});
afterEach(() => {
  tf.disposeVariables();
});

const createTrio = (seed = 1) =>
  createModalityQuantizers({
    modalities: {
      text: { inputSize: 3 },
      image: { inputSize: 2, codebookSize: 2, lossWeight: 0.5 },
      id: { inputSize: 2, codebookUpdate: 'ema' },
    },
    defaults: { codebookSize: 4, initialization: 'uniform' },
    seed,
  });

describe('createModalityQuantizers', () => {
  it('builds one independent quantizer per modality from defaults and per-modality options', () => {
    const trio = createTrio();
    expect(trio.modalities).toEqual(['text', 'image', 'id']);
    expect(trio.quantizers.text.codebooks[0]!.shape).toEqual([4, 3]);
    expect(trio.quantizers.image.codebooks[0]!.shape).toEqual([2, 2]);
    expect(trio.config.modalities.image.lossWeight).toBe(0.5);
    expect(trio.config.modalities.id.codebookUpdate).toBe('ema');
    expect(trio.variables.map((variable) => variable.name)).toEqual([
      'vq/text/codebook',
      'vq/text/initialized',
      'vq/image/codebook',
      'vq/image/initialized',
      'vq/id/codebook',
      'vq/id/ema_cluster_size',
      'vq/id/ema_code_sum',
      'vq/id/initialized',
    ]);
    expect(trio.trainableVariables.map((variable) => variable.name)).toEqual(['vq/text/codebook', 'vq/image/codebook']);
    // Each modality draws its own codes from a seed derived from the shared one.
    const textCodes = Array.from(trio.quantizers.text.codebooks[0]!.dataSync()).slice(0, 4);
    const idCodes = Array.from(trio.quantizers.id.codebooks[0]!.dataSync()).slice(0, 4);
    expect(textCodes).not.toEqual(idCodes);
  });

  it("returns each modality's own output and the weighted sum of the losses", () => {
    const trio = createTrio();
    trio.quantizers.image.codebooks[0]!.assign(
      tf.tensor2d([
        [0, 0],
        [1, 1],
      ]),
    );
    const inputs = {
      text: syntheticTensor([2, 3, 3], 2),
      image: tf.tensor3d([
        [
          [0.1, 0],
          [1, 0.8],
          [0, 0.2],
        ],
        [
          [1, 1],
          [0.9, 1.2],
          [0, 0],
        ],
      ]),
      id: syntheticTensor([2, 3, 2], 3),
    };
    const { outputs, loss } = trio.apply(inputs);
    expect(Array.from(outputs.image!.indices.dataSync())).toEqual([0, 1, 0, 1, 1, 0]);
    const alone = trio.quantizers.text.apply(inputs.text);
    expectTensorsClose(outputs.text!.quantized, alone.quantized);
    // Image errors 0.01 + 0.04 + 0.04 + 0 + 0.05 + 0 over 6 vectors × 2 axes, times 1.25 (1 + β).
    expectTensorsClose(outputs.image!.loss, (0.14 / 12) * 1.25);
    expectTensorsClose(loss, tf.addN([outputs.text!.loss, tf.mul(outputs.image!.loss, 0.5), outputs.id!.loss]));
  });

  it('quantizes a subset of modalities, with a shared mask', () => {
    const trio = createTrio();
    const mask = tf.tensor2d([[1, 1, 0]]);
    const { outputs, loss } = trio.apply({ image: syntheticTensor([1, 3, 2], 4) }, { mask });
    expect(Object.keys(outputs)).toEqual(['image']);
    expectTensorsClose(loss, tf.mul(outputs.image!.loss, 0.5));
  });

  it('trains one modality without touching another', () => {
    const trio = createTrio();
    const before = trio.quantizers.id.codebooks[0]!.arraySync();
    trio.apply({ text: syntheticTensor([5, 3], 5) }, { training: true });
    expect(trio.quantizers.id.codebooks[0]!.arraySync()).toEqual(before);
    trio.apply({ id: syntheticTensor([5, 2], 5) }, { training: true });
    expect(trio.quantizers.id.codebooks[0]!.arraySync()).not.toEqual(before);
  });

  it('matches finite differences through the weighted sum', () => {
    // The sg[·] terms make the full loss differ from its finite differences, so each modality keeps
    // one term: text only its codebook loss (β = 0), image only β·commitment (EMA), weighted 0.5.
    const pair = createModalityQuantizers({
      modalities: {
        text: { inputSize: 3, commitmentWeight: 0 },
        image: { inputSize: 2, codebookUpdate: 'ema', lossWeight: 0.5 },
      },
      defaults: { codebookSize: 3, initialization: 'uniform' },
      seed: 2,
    });
    pair.quantizers.image.codebooks[0]!.assign(
      tf.tensor2d([
        [0, 0],
        [1, 0],
        [0, 1],
      ]),
    );
    const text = syntheticTensor([4, 3], 6, 0.1);
    const image = tf.tensor2d([
      [0.1, 0.1],
      [0.8, 0.2],
      [0.3, 1.2],
      [1.1, -0.1],
    ]);
    const summed = (x: tf.Tensor) => {
      const { outputs, loss } = pair.apply({ text, image: x });
      tf.dispose(outputs as unknown as tf.TensorContainer);
      return loss;
    };
    expectGradientsClose((x) => summed(x!), [image, pair.quantizers.text.codebooks[0]!]);
  });

  it('leaks no tensors', async () => {
    const trio = createTrio();
    const inputs = {
      text: syntheticTensor([4, 3], 6),
      image: syntheticTensor([4, 2], 7),
      id: syntheticTensor([4, 2], 8),
    };
    await expectNoLeakedTensors(() => trio.apply(inputs, { training: true }));
    await expectNoLeakedTensors(() => tf.variableGrads(() => trio.apply(inputs, { training: true }).loss));
  });

  it('names the modality in option and shape errors, before any training side effect', () => {
    expect(() => createModalityQuantizers({ modalities: {} })).toThrow(/modalities/);
    expect(() => createModalityQuantizers({ modalities: { text: { inputSize: 4 } } })).toThrow(
      /modalities\.text\.codebookSize/,
    );
    expect(() =>
      createModalityQuantizers({ modalities: { text: { inputSize: 4, codebookSize: 2, lossWeight: -1 } } }),
    ).toThrow(/modalities\.text\.lossWeight/);
    expect(() => createModalityQuantizers({ modalities: { 'a/b': { inputSize: 4, codebookSize: 2 } } })).toThrow(
      InvalidArgumentError,
    );
    expect(Object.keys(tf.engine().registeredVariables)).toEqual([]); // nothing was built

    const trio = createModalityQuantizers({
      modalities: { text: { inputSize: 3 }, image: { inputSize: 2 } },
      defaults: { codebookSize: 2, deadCodeSteps: 1 },
      seed: 1,
    });
    expect(() => trio.apply({ text: tf.zeros([2, 3]), image: tf.zeros([2, 3]) }, { training: true })).toThrow(
      ShapeMismatchError,
    );
    expect(() => trio.apply({ text: tf.zeros([2, 3]), image: tf.zeros([2, 3]) })).toThrow(/inputs\.image/);
    expect(trio.quantizers.text.initialized).toBe(false); // text was not trained before image failed
    expect(() => trio.apply({ audio: tf.zeros([2, 3]) } as never)).toThrow(/unknown modality "audio"/);
    expect(() => trio.apply({})).toThrow(/at least one/);
  });
});
