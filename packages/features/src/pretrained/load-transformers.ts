import { MissingDependencyError } from './errors';

/** The part of `@huggingface/transformers` (v4) we call; typed here so the package needs no install to build. */
export interface TransformersModule {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  pipeline(task: 'feature-extraction', model: string, options?: { dtype?: 'fp32' | 'q8' }): Promise<FeatureExtractor>;
  AutoProcessor: { from_pretrained(model: string): Promise<(images: unknown[]) => Promise<Record<string, unknown>>> };
  CLIPVisionModelWithProjection: {
    from_pretrained(
      model: string,
      options?: { dtype?: 'fp32' | 'q8' },
    ): Promise<(inputs: Record<string, unknown>) => Promise<{ image_embeds: TensorLike }>>;
  };
  RawImage: {
    new (data: Uint8ClampedArray, width: number, height: number, channels: 1 | 2 | 3 | 4): unknown;
    fromBlob(blob: Blob): Promise<unknown>;
  };
}

export interface TensorLike {
  data: Float32Array;
  dims: number[];
}

export type FeatureExtractor = (
  texts: string[],
  options: { pooling: 'cls' | 'mean'; normalize: boolean },
) => Promise<TensorLike>;

const PACKAGE = '@huggingface/transformers';

export const INSTALL_HINT = `The pretrained encoders need ${PACKAGE} v4 (ONNX runtime in Node), which @imecd/features loads only when asked for and does not install (about 475 MB with onnxruntime-node). Install it beside @imecd/features:
  ONNXRUNTIME_NODE_INSTALL=skip npm install ${PACKAGE}@^4
  (or: pnpm add ${PACKAGE}@^4 — pnpm does not run its install script unless approved)
onnxruntime-node's install script downloads CUDA binaries and fails offline; skipping it is safe, the CPU binaries ship in the package.
Without it, use the offline encoder (--text-model tfidf), which needs no download.`;

/**
 * Loads `@huggingface/transformers` with a dynamic import, so that nothing is loaded (or needs
 * installing) until a pretrained encoder is asked for. A missing package is a
 * MissingDependencyError that says what to install. `importModule` is for tests.
 */
export async function loadTransformers(
  importModule: (specifier: string) => Promise<unknown> = (specifier) => import(specifier),
): Promise<TransformersModule> {
  try {
    return (await importModule(PACKAGE)) as TransformersModule;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    // Only "this package is absent" counts as not installed; a missing dependency of it is a broken install.
    const absent =
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
      new RegExp(`'${PACKAGE}'`).test((error as Error).message);
    if (absent) {
      throw new MissingDependencyError(PACKAGE, `${PACKAGE} is not installed. ${INSTALL_HINT}`, { cause: error });
    }
    throw new MissingDependencyError(
      PACKAGE,
      `${PACKAGE} is installed but failed to load (${(error as Error).message}). ${INSTALL_HINT}`,
      { cause: error },
    );
  }
}
