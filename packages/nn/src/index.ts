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
export { matMul2d } from './mat-mul-2d';
export { batchMatMul } from './batch-mat-mul';
export type { BatchMatMulOptions } from './batch-mat-mul';
export type { Initializer } from './initializer';
export { parseInitializer, requireInitializer } from './initializer';
export type { Module, NamedVariableOptions } from './module';
// Helpers for packages that build their own modules on @imecd/nn: named variables with a readable
// error for a taken name, all-or-nothing construction of children, and variable bookkeeping.
export {
  createNamedVariable,
  createVariableModule,
  createChildModules,
  createModuleList,
  disposeVariables,
  variablesOf,
} from './module';
// Seeds: one parent seed fixes every child module, dropout mask and noise draw.
export { resolveSeed, drawSeed, createSeededRng } from './seed';
// Option checks: each returns its value or throws `InvalidArgumentError` naming the option.
export {
  requirePositiveInteger,
  requireNonNegativeInteger,
  requirePositiveNumber,
  requireNonNegativeNumber,
  requireRate,
  requireOpenUnitInterval,
  requireBoolean,
  requireOneOf,
  requireScopeName,
  requireSeed,
  requireOptionalSeed,
} from './validate';
export { createDense } from './dense';
export type { Dense, DenseOptions } from './dense';
export { createLayerNorm } from './layer-norm';
export type { LayerNorm, LayerNormOptions } from './layer-norm';
export { gelu } from './gelu';
export { dropout } from './dropout';
export type { DropoutOptions } from './dropout';
export { createCausalAttentionBias, BLOCKED_SCORE } from './causal-attention-bias';
export { createMultiHeadSelfAttention } from './multi-head-self-attention';
export type { MultiHeadSelfAttention, MultiHeadSelfAttentionOptions } from './multi-head-self-attention';
export { createTransformerEncoder } from './transformer-encoder';
export type {
  SequenceEncoderSettings,
  TransformerEncoder,
  TransformerEncoderOptions,
  TransformerEncoderApplyOptions,
  ResolvedTransformerEncoderOptions,
} from './transformer-encoder';
export { lastState } from './last-state';
export { collectVariables } from './collect-variables';
export { serializeVariables, restoreVariables } from './serialize-variables';
export { tableSoftmaxCrossEntropy } from './table-softmax-cross-entropy';
export { sampledTableSoftmaxCrossEntropy } from './sampled-softmax-cross-entropy';
export type { TableSoftmaxCrossEntropyOptions } from './table-softmax-cross-entropy';
export type { SerializedVariables, VariableManifestEntry, RestoreVariablesOptions } from './serialize-variables';
