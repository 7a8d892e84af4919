import { deriveSeed, InvalidArgumentError } from '@imecd/core';
import { type Module, requireNonNegativeNumber, requireOptionalSeed, requireScopeName, resolveSeed } from '@imecd/nn';
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { VectorQuantizerOutput } from './quantize-levels';
import { buildVectorQuantizer, checkQuantizerInputs, type VectorQuantizer } from './vector-quantizer';
import {
  type ResolvedVectorQuantizerOptions,
  resolveVectorQuantizerOptions,
  type VectorQuantizerOptions,
} from './vector-quantizer-options';

/** One modality's entry: quantizer options over the shared `defaults`, plus its loss weight. */
export interface ModalityQuantizerOptions extends Partial<Omit<VectorQuantizerOptions, 'name' | 'seed'>> {
  /** Weight of this modality's loss in the summed loss. Default 1. */
  lossWeight?: number;
}

/** Options of {@link createModalityQuantizers}. */
export interface ModalityQuantizersOptions<M extends string> {
  /**
   * One entry per modality, e.g. `{ text: {…}, image: {…}, id: {…} }`: that modality's options,
   * applied over `defaults`. After merging, `inputSize` and `codebookSize` must be set. Each
   * modality gets its own codebooks and training state. Required, at least one modality.
   */
  modalities: Readonly<Record<M, ModalityQuantizerOptions>>;
  /** Options every modality starts from (e.g. a shared `codebookSize`). Default `{}`. */
  defaults?: Partial<Omit<VectorQuantizerOptions, 'name' | 'seed'>>;
  /** Scope: modality `m` keeps its variables under `<name>/<m>/…`. Default `'vq'`. */
  name?: string;
  /** Seed from which each modality's seed is derived. Default: a random seed (recorded in `config.seed`). */
  seed?: number;
}

/** A modality's options in force. */
export type ResolvedModalityQuantizerOptions = ResolvedVectorQuantizerOptions & { readonly lossWeight: number };

/** Options of {@link ModalityQuantizers.apply}. */
export interface ModalityQuantizersApplyOptions {
  /** As in `VectorQuantizerApplyOptions.training`. Default false. */
  training?: boolean;
  /** A mask shared by every modality given (the usual padding mask of a sequence batch). Default: none. */
  mask?: Tensor;
}

/** What {@link ModalityQuantizers.apply} returns; the caller owns the tensors. */
export interface ModalityQuantizersOutput<M extends string> {
  /** Each given modality's own output. */
  outputs: Partial<Record<M, VectorQuantizerOutput>>;
  /** Σ over the given modalities of lossWeight · loss. */
  loss: Scalar;
}

/** Independent quantizers, one per named modality, applied and saved together. */
export interface ModalityQuantizers<M extends string> extends Module {
  readonly config: Readonly<{
    name: string;
    seed: number;
    modalities: Readonly<Record<M, ResolvedModalityQuantizerOptions>>;
  }>;
  /** The modality names, in the order of the options. */
  readonly modalities: readonly M[];
  readonly quantizers: Readonly<Record<M, VectorQuantizer>>;
  /** Every modality's variables, in modality order (see `VectorQuantizer.variables`). */
  readonly variables: readonly Variable[];
  readonly trainableVariables: readonly Variable[];
  /** Quantizes each modality given ([..., d_m] each); a modality left out is skipped. */
  apply(
    inputs: Readonly<Partial<Record<M, Tensor>>>,
    options?: ModalityQuantizersApplyOptions,
  ): ModalityQuantizersOutput<M>;
  /** `VectorQuantizer.initializeFromData` for each modality given. */
  initializeFromData(data: Readonly<Partial<Record<M, Tensor>>>, options?: { mask?: Tensor }): void;
}

export function createModalityQuantizers<M extends string>(
  options: ModalityQuantizersOptions<M>,
): ModalityQuantizers<M> {
  const name = requireScopeName('name', options.name ?? 'vq');
  const seed = resolveSeed(requireOptionalSeed('seed', options.seed));
  const modalities = Object.keys(options.modalities ?? {}) as M[];
  if (modalities.length === 0) throw new InvalidArgumentError('modalities', 'expected at least one modality');

  // Every modality is validated before any variable exists, so a bad entry builds nothing.
  const resolved = Object.fromEntries(
    modalities.map((modality, index) => {
      if (modality.includes('/'))
        throw new InvalidArgumentError('modalities', `a modality name cannot contain '/', got "${modality}"`);
      const path = `modalities.${modality}.`;
      const { lossWeight = 1, ...own } = options.modalities[modality];
      const merged = { ...options.defaults, ...own, name: `${name}/${modality}`, seed: deriveSeed(seed, index) };
      const config = resolveVectorQuantizerOptions(merged as VectorQuantizerOptions, path);
      return [modality, { ...config, lossWeight: requireNonNegativeNumber(`${path}lossWeight`, lossWeight) }];
    }),
  ) as Record<M, ResolvedModalityQuantizerOptions>;

  const built: Partial<Record<M, VectorQuantizer>> = {};
  try {
    for (const modality of modalities) built[modality] = buildVectorQuantizer(resolved[modality]);
  } catch (error) {
    for (const quantizer of Object.values<VectorQuantizer | undefined>(built)) quantizer?.dispose();
    throw error;
  }
  const quantizers = built as Record<M, VectorQuantizer>;

  const givenModalities = (argument: string, inputs: Readonly<Partial<Record<M, Tensor>>>): M[] => {
    const given = Object.keys(inputs) as M[];
    const unknown = given.filter((modality) => !modalities.includes(modality));
    if (unknown.length > 0)
      throw new InvalidArgumentError(
        argument,
        `unknown modality "${unknown.join('", "')}"; expected some of ${modalities.join(', ')}`,
      );
    if (given.length === 0)
      throw new InvalidArgumentError(argument, `expected at least one of ${modalities.join(', ')}`);
    return given;
  };

  return {
    config: { name, seed, modalities: resolved },
    modalities,
    quantizers,
    variables: modalities.flatMap((modality) => [...quantizers[modality].variables]),
    trainableVariables: modalities.flatMap((modality) => [...quantizers[modality].trainableVariables]),
    dispose: () => {
      for (const modality of modalities) quantizers[modality].dispose();
    },
    initializeFromData(data, initializeOptions = {}) {
      for (const modality of givenModalities('data', data))
        quantizers[modality].initializeFromData(data[modality]!, initializeOptions);
    },
    apply(inputs, applyOptions = {}) {
      const given = givenModalities('inputs', inputs);
      // Shapes first: a mismatch in the last modality must not leave the first one half-trained.
      for (const modality of given)
        checkQuantizerInputs(`inputs.${modality}`, resolved[modality].inputSize, inputs[modality]!, applyOptions.mask);
      const outputs: Partial<Record<M, VectorQuantizerOutput>> = {};
      for (const modality of given) outputs[modality] = quantizers[modality].apply(inputs[modality]!, applyOptions);
      const loss = tf.tidy(
        () =>
          tf.addN(given.map((modality) => tf.mul(outputs[modality]!.loss, resolved[modality].lossWeight))) as Scalar,
      );
      return { outputs, loss };
    },
  };
}
