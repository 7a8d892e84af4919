import { InvalidArgumentError } from '@imecd/core';
import type { ImageEncoder, TextEncoder } from '../encoder';
import { normaliseRow } from '../normalise-row';
import { expectedFiles } from './known-models';
import { loadTransformers, type TensorLike, type TransformersModule } from './load-transformers';
import { locateModel, type ModelLocation, modelRevision } from './model-folder';

/** Options of `createTransformersTextEncoder` and `createTransformersImageEncoder`. */
export interface TransformersEncoderArgs {
  /** Hub id under `modelDir` (e.g. "Xenova/bert-base-uncased") or a model folder. Required. */
  model: string;
  /** Folder that holds `<owner>/<name>/` model folders. Default: none (then `model` must be a folder, or `allowRemote`). */
  modelDir?: string;
  /** "fp32" reads onnx/<stem>.onnx, "q8" onnx/<stem>_quantized.onnx. Default "fp32". */
  dtype?: 'fp32' | 'q8';
  /** Text only: "cls" or "mean". Default: the model card's (see KNOWN_MODELS); required for other models. */
  pooling?: 'cls' | 'mean';
  /** Texts or images per model call. Default 32 (text), 16 (image). */
  batchSize?: number;
  /** Let transformers.js download from the hub when the folder is missing. Default false. */
  allowRemote?: boolean;
  /** For tests: provides the transformers module. Default: dynamic import of @huggingface/transformers. */
  loadModule?: () => Promise<TransformersModule>;
}

async function prepare(
  args: TransformersEncoderArgs,
  kind: 'text' | 'image',
): Promise<{ transformers: TransformersModule; location: ModelLocation; dtype: 'fp32' | 'q8'; batchSize: number }> {
  const { dtype = 'fp32', batchSize = kind === 'text' ? 32 : 16 } = args;
  if (dtype !== 'fp32' && dtype !== 'q8')
    throw new InvalidArgumentError('dtype', `expected "fp32" or "q8", got ${JSON.stringify(dtype)}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new InvalidArgumentError('batchSize', `expected a positive integer, got ${batchSize}`);
  // The folder is checked before the (large) package is loaded, so the first error is the useful one.
  const location = locateModel(args.model, { modelDir: args.modelDir, kind, dtype, allowRemote: args.allowRemote });
  const transformers = await (args.loadModule ?? loadTransformers)();
  transformers.env.allowLocalModels = location.localRoot !== undefined;
  transformers.env.allowRemoteModels = location.localRoot === undefined;
  if (location.localRoot !== undefined) transformers.env.localModelPath = location.localRoot;
  return { transformers, location, dtype, batchSize };
}

/**
 * Runs `embed` on consecutive batches of `items` (checking `signal` before each) and packs the
 * first batch.length rows of each output into one row-major [items, dim] array.
 */
async function encodeInBatches<T>(
  items: readonly T[],
  batchSize: number,
  dim: number,
  signal: AbortSignal | undefined,
  embed: (batch: T[]) => Promise<TensorLike>,
): Promise<Float32Array> {
  const out = new Float32Array(items.length * dim);
  for (let start = 0; start < items.length; start += batchSize) {
    signal?.throwIfAborted();
    const batch = items.slice(start, start + batchSize);
    out.set((await embed(batch)).data.subarray(0, batch.length * dim), start * dim);
  }
  return out;
}

/**
 * What names a pretrained encoder's vectors: their size (the last axis of a probe output), the
 * model and a revision made of the dtype and the ONNX file's (`onnx/<onnxStem>…` when the model
 * has no card).
 */
async function encoderIdentity(
  location: ModelLocation,
  dtype: 'fp32' | 'q8',
  onnxStem: string,
  probe: TensorLike,
): Promise<{ dim: number; modelName: string; revision: string }> {
  const dim = probe.dims[probe.dims.length - 1]!;
  const onnxFile = expectedFiles(location.card ?? { files: [], onnx: onnxStem }, dtype).at(-1)!;
  return { dim, modelName: location.name, revision: `${dtype};${await modelRevision(location, onnxFile)}` };
}

/**
 * A pretrained text encoder through @huggingface/transformers (loaded on first use, see
 * `loadTransformers`): tokenises, runs the ONNX model on the CPU and pools as the model card
 * says ([CLS] for BERT, mean for sentence-transformers), then L2-normalises.
 */
export async function createTransformersTextEncoder(args: TransformersEncoderArgs): Promise<TextEncoder> {
  const { transformers, location, dtype, batchSize } = await prepare(args, 'text');
  const pooling = args.pooling ?? (location.card?.pooling as 'cls' | 'mean' | undefined);
  if (pooling !== 'cls' && pooling !== 'mean') {
    throw new InvalidArgumentError(
      'pooling',
      `give "cls" or "mean" for ${args.model}, as its model card says (got ${JSON.stringify(pooling)})`,
    );
  }
  const extractor = await transformers.pipeline('feature-extraction', location.id, { dtype });
  const probe = await extractor(['dimension probe'], { pooling, normalize: true });
  const identity = await encoderIdentity(location, dtype, 'model', probe);
  const { dim } = identity;
  return {
    ...identity,
    pooling,
    encode: (texts, options) =>
      encodeInBatches(texts, batchSize, dim, options?.signal, (batch) =>
        extractor(batch, { pooling, normalize: true }),
      ),
  };
}

/**
 * A pretrained CLIP image encoder through @huggingface/transformers: decodes the downloaded
 * bytes (sharp), preprocesses as the model's processor says, takes `image_embeds` and
 * L2-normalises. A file it cannot decode fails its batch; the caller retries one by one.
 */
export async function createTransformersImageEncoder(args: TransformersEncoderArgs): Promise<ImageEncoder> {
  const { transformers, location, dtype, batchSize } = await prepare(args, 'image');
  const processor = await transformers.AutoProcessor.from_pretrained(location.id);
  const vision = await transformers.CLIPVisionModelWithProjection.from_pretrained(location.id, { dtype });
  const embed = async (decoded: unknown[]) => (await vision(await processor(decoded))).image_embeds;
  // A mid-grey 64 × 64 probe image tells the output size (and that the model runs) up front.
  const probe = await embed([new transformers.RawImage(new Uint8ClampedArray(64 * 64 * 3).fill(128), 64, 64, 3)]);
  const identity = await encoderIdentity(location, dtype, 'vision_model', probe);
  const { dim } = identity;
  return {
    ...identity,
    pooling: 'clip-image-embeds',
    async encode(images, options) {
      const out = await encodeInBatches(images, batchSize, dim, options?.signal, async (batch) =>
        embed(await Promise.all(batch.map(({ bytes }) => transformers.RawImage.fromBlob(new Blob([bytes]))))),
      );
      for (let offset = 0; offset < out.length; offset += dim) normaliseRow(out, offset, dim);
      return out;
    },
  };
}
