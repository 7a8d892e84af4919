/**
 * @file @imecd/nn — tensor building blocks for the @imecd sequential recommenders, on
 * TensorFlow.js (`@tensorflow/tfjs-core` only, functional API). Products whose backward pass
 * would use transpose flags are routed through explicit transposes (`matMul2d`, `batchMatMul`)
 * so the wasm backend stays on its fast kernel; on top of them: dense and LayerNorm modules,
 * erf-GELU, seeded dropout, multi-head causal self-attention and a SASRec-style Transformer
 * encoder for left-padded sequences, plus variable collection, serialization and restore.
 * Every stateful block is a `createX(options)` factory returning `{ variables, apply, dispose }`
 * with scoped variable names and seeded, backend-independent initial values.
 * The helpers those factories share (named variables, all-or-nothing child construction, seeds and
 * option checks) are exported too, for packages that build their own modules on top.
 * Test helpers live in the `@imecd/nn/testing` entry point.
 */

export { type BatchMatMulOptions, batchMatMul } from './batch-mat-mul';
export { BLOCKED_SCORE, createCausalAttentionBias } from './causal-attention-bias';
export { collectVariables } from './collect-variables';
export { type ConstantRows, constantRowsMatMul, createConstantRows, isConstantRows } from './constant-rows';
export { createDense, type Dense, type DenseOptions } from './dense';
export { type DropoutOptions, dropout } from './dropout';
export { gelu } from './gelu';
export { type Initializer, parseInitializer, requireInitializer } from './initializer';
export { lastState } from './last-state';
export { createLayerNorm, type LayerNorm, type LayerNormOptions } from './layer-norm';
export { matMul2d } from './mat-mul-2d';
// Helpers for packages that build their own modules on @imecd/nn: named variables with a readable
// error for a taken name, all-or-nothing construction of children, and variable bookkeeping.
export {
  createChildModules,
  createModuleList,
  createNamedVariable,
  createVariableModule,
  disposeVariables,
  type Module,
  type NamedVariableOptions,
  variablesOf,
} from './module';
export {
  type AttentionKeysValues,
  createMultiHeadSelfAttention,
  type MultiHeadSelfAttention,
  type MultiHeadSelfAttentionOptions,
} from './multi-head-self-attention';
export { sampledTableSoftmaxCrossEntropy } from './sampled-softmax-cross-entropy';
// Seeds: one parent seed fixes every child module, dropout mask and noise draw.
export { createSeededRng, drawSeed, resolveSeed } from './seed';
export { SEQUENCE_ENCODER_SETTINGS } from './sequence-encoder-settings';
export {
  type RestoreVariablesOptions,
  restoreVariables,
  type SerializedVariables,
  serializeVariables,
  type VariableManifestEntry,
} from './serialize-variables';
export { tableBinaryCrossEntropy } from './table-binary-cross-entropy';
export { type TableSoftmaxCrossEntropyOptions, tableSoftmaxCrossEntropy } from './table-softmax-cross-entropy';
export {
  createTransformerEncoder,
  type ResolvedTransformerEncoderOptions,
  type SequenceEncoderSettings,
  type TransformerEncoder,
  type TransformerEncoderApplyOptions,
  type TransformerEncoderOptions,
} from './transformer-encoder';
// Option checks, every one in validate.ts: each returns its value or throws `InvalidArgumentError`
// naming the option.
export * from './validate';
