/**
 * @file @imecd/vq — vector quantization for recommenders on TensorFlow.js (`@tensorflow/tfjs-core`
 * only, any backend). A quantizer snaps each input vector to the nearest of K learned codes
 * (squared L2 or cosine), passes gradients straight through, and returns the VQ-VAE codebook and
 * β-weighted commitment losses plus usage statistics (perplexity, codes in use, mean error).
 * Options cover EMA codebook updates, k-means++ / k-means initialisation from the first batch,
 * dead-code restart and residual quantization over several levels. `createModalityQuantizers`
 * keeps one independent quantizer per modality (text, image, ID…) and sums their losses, the
 * modality-specific VQ of IMECD. Every weight and every piece of training state is a tfjs
 * Variable, so any optimizer can train it and `serializeVariables` can save it.
 */

export { type CodebookStatistics, codebookStatistics } from './codebook-statistics';
export { fitKMeans, type KMeansOptions, type KMeansResult } from './k-means';
export {
  createModalityQuantizers,
  type ModalityQuantizerOptions,
  type ModalityQuantizers,
  type ModalityQuantizersApplyOptions,
  type ModalityQuantizersOptions,
  type ModalityQuantizersOutput,
  type ResolvedModalityQuantizerOptions,
} from './modality-quantizers';
export { type NearestCodes, nearestCodes } from './nearest-codes';
export type { QuantizerStatistics, VectorQuantizerLevelOutput, VectorQuantizerOutput } from './quantize-levels';
export {
  createVectorQuantizer,
  type InitializeFromDataOptions,
  type VectorQuantizer,
  type VectorQuantizerApplyOptions,
} from './vector-quantizer';
export type {
  CodebookInitialization,
  CodebookUpdate,
  QuantizerDistance,
  ResolvedVectorQuantizerOptions,
  VectorQuantizerOptions,
} from './vector-quantizer-options';
