import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ImecdError } from '@imecd/core';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTemporaryFolders, temporaryFolder } from '../../test/synthetic-dataset';
import { createTransformersImageEncoder, createTransformersTextEncoder } from './create-transformers-encoders';
import { MissingDependencyError, MissingModelError } from './errors';
import { loadTransformers, type TransformersModule } from './load-transformers';

afterAll(removeTemporaryFolders);

/** A model folder with the files the check looks for; the "weights" are SYNTHETIC bytes, not a model. */
async function modelFolder(root: string, id: string, files: string[]): Promise<string> {
  const folder = join(root, id);
  await mkdir(join(folder, 'onnx'), { recursive: true });
  for (const file of files) await writeFile(join(folder, file), `synthetic ${file}`);
  return folder;
}

/**
 * A FAKE transformers module (a deterministic test stand-in, no model): the extractor returns
 * [text length, 1, 0] per text, pooled as asked; the CLIP parts return [bytes, 0, 1, 0].
 */
function fakeTransformers(calls: { pooling?: string; batches: number[]; model?: string }): TransformersModule {
  return {
    env: { allowRemoteModels: true, allowLocalModels: true, localModelPath: '' },
    async pipeline(_task, model) {
      calls.model = model;
      return async (texts, options) => {
        calls.pooling = options.pooling;
        calls.batches.push(texts.length);
        return { data: Float32Array.from(texts.flatMap((text) => [text.length, 1, 0])), dims: [texts.length, 3] };
      };
    },
    AutoProcessor: { from_pretrained: async () => async (images: unknown[]) => ({ images }) },
    CLIPVisionModelWithProjection: {
      from_pretrained: async () => async (inputs: Record<string, unknown>) => {
        const images = inputs.images as { size: number }[];
        return {
          image_embeds: {
            data: Float32Array.from(images.flatMap(({ size }) => [size, 0, 1, 0])),
            dims: [images.length, 4],
          },
        };
      },
    },
    RawImage: Object.assign(
      function RawImage(this: { size: number }, data: Uint8ClampedArray) {
        this.size = data.length;
      } as unknown as TransformersModule['RawImage'],
      { fromBlob: async (blob: Blob) => ({ size: blob.size }) },
    ),
  };
}

describe('pretrained encoders (@huggingface/transformers behind an interface)', () => {
  it('says what to install when the package is missing, and tells a broken install apart', async () => {
    const absent = Object.assign(new Error("Cannot find package '@huggingface/transformers' imported from /x.js"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const error = await loadTransformers(async () => {
      throw absent;
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect((error as Error).message).toMatch(/@huggingface\/transformers is not installed/);
    expect((error as Error).message).toMatch(
      /ONNXRUNTIME_NODE_INSTALL=skip npm install @huggingface\/transformers@\^4/,
    );
    expect((error as Error).message).toMatch(/--text-model tfidf/);
    const broken = Object.assign(new Error("Cannot find package 'onnxruntime-common' imported from /x.js"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    await expect(
      loadTransformers(async () => {
        throw broken;
      }),
    ).rejects.toThrow(/installed but failed to load/);
  });

  it('lists the exact files and where they go when the model folder is missing or incomplete', async () => {
    const modelDir = await temporaryFolder();
    let loaded = false;
    const loadModule = async () => {
      loaded = true;
      return fakeTransformers({ batches: [] });
    };
    const none = await createTransformersTextEncoder({ model: 'Xenova/bert-base-uncased', loadModule }).catch(
      (caught: unknown) => caught,
    );
    expect(none).toBeInstanceOf(MissingModelError);
    expect((none as Error).message).toMatch(/no --model-dir given/);
    await modelFolder(modelDir, 'Xenova/clip-vit-base-patch32', ['config.json']);
    const partial = await createTransformersImageEncoder({
      model: 'Xenova/clip-vit-base-patch32',
      modelDir,
      loadModule,
    }).catch((caught: unknown) => caught);
    expect(partial).toMatchObject({
      code: 'MISSING_MODEL',
      missing: ['preprocessor_config.json', 'onnx/vision_model.onnx'],
    });
    const message = (partial as Error).message;
    expect(message).toContain(
      `${join(modelDir, 'Xenova/clip-vit-base-patch32')} lacks preprocessor_config.json, onnx/vision_model.onnx`,
    );
    expect(message).toContain(join(modelDir, 'Xenova/clip-vit-base-patch32', 'onnx/vision_model.onnx'));
    expect(message).toContain('https://huggingface.co/Xenova/clip-vit-base-patch32');
    expect(loaded).toBe(false); // the folder is checked before the package is loaded
    await expect(
      createTransformersTextEncoder({ model: 'Xenova/clip-vit-base-patch32', modelDir, loadModule }),
    ).rejects.toThrow(/an image model; it cannot encode text/);
  });

  it("runs a complete folder with the model card's pooling, in batches, from the local folder only", async () => {
    const modelDir = await temporaryFolder();
    await modelFolder(modelDir, 'Xenova/bert-base-uncased', [
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/model_quantized.onnx',
    ]);
    const calls: { pooling?: string; batches: number[]; model?: string } = { batches: [] };
    const module = fakeTransformers(calls);
    const encoder = await createTransformersTextEncoder({
      model: 'Xenova/bert-base-uncased',
      modelDir,
      dtype: 'q8',
      batchSize: 2,
      loadModule: async () => module,
    });
    expect(encoder).toMatchObject({ dim: 3, modelName: 'Xenova/bert-base-uncased', pooling: 'cls' });
    expect(encoder.revision).toMatch(/^q8;sha256:[0-9a-f]{16}$/);
    expect(module.env).toMatchObject({
      allowRemoteModels: false,
      allowLocalModels: true,
      localModelPath: `${join(modelDir, 'Xenova')}/`,
    });
    expect(calls.model).toBe('bert-base-uncased');
    const values = await encoder.encode(['ab', 'abc', 'abcd']);
    expect(Array.from(values)).toEqual([2, 1, 0, 3, 1, 0, 4, 1, 0]);
    expect(calls.batches).toEqual([1, 2, 1]); // the dimension probe, then batches of 2
    const unknown = await modelFolder(modelDir, 'someone/other-model', [
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/model.onnx',
    ]);
    await expect(createTransformersTextEncoder({ model: unknown, loadModule: async () => module })).rejects.toThrow(
      /give "cls" or "mean"/,
    );
    expect(
      (await createTransformersTextEncoder({ model: unknown, pooling: 'mean', loadModule: async () => module }))
        .modelName,
    ).toBe('someone/other-model');
  });

  it('encodes images to L2-normalised CLIP embeddings', async () => {
    const modelDir = await temporaryFolder();
    await modelFolder(modelDir, 'Xenova/clip-vit-base-patch32', [
      'config.json',
      'preprocessor_config.json',
      'onnx/vision_model.onnx',
    ]);
    const encoder = await createTransformersImageEncoder({
      model: 'Xenova/clip-vit-base-patch32',
      modelDir,
      loadModule: async () => fakeTransformers({ batches: [] }),
    });
    expect(encoder).toMatchObject({ dim: 4, pooling: 'clip-image-embeds', modelName: 'Xenova/clip-vit-base-patch32' });
    const values = await encoder.encode([{ bytes: new Uint8Array(3) }]);
    expect(Array.from(values)).toEqual([
      expect.closeTo(3 / Math.sqrt(10), 6),
      0,
      expect.closeTo(1 / Math.sqrt(10), 6),
      0,
    ]);
    expect(ImecdError.isInstance(new MissingModelError('f', [], 'm'))).toBe(true);
  });
});
