import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import {
  type ConstantRows,
  createChildModules,
  createSeededRng,
  drawSeed,
  dropout,
  type Initializer,
  isConstantRows,
  type Module,
  requireBoolean,
  requireInitializer,
  requireOneOf,
  requirePositiveInteger,
  requirePositiveNumber,
  requireRate,
  requireScopeName,
  resolveSeed,
} from '@imecd/nn';
import type { Scalar, Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { createExpertBank, type ExpertBank, type ExpertKind } from './expert-bank';
import { createGate, type Gate } from './gate';
import { checkHotRows, type HotRows, isHotRows } from './hot-rows';
import { loadBalancingLoss } from './load-balancing-loss';
import { sameShape } from './same-shape';

/** Where the gate reads from: the guide g (IMECD's ID guidance) or the input x itself (UniSRec, HM4SR). */
export type Gating = 'guide' | 'self';

/** Options of {@link createMixtureOfExperts}. */
export interface MixtureOfExpertsOptions {
  /** Width of the modality input x, e.g. 768 (BERT) or 512 (CLIP). Required. */
  inputSize: number;
  /** Width d of the output, e.g. the ID embedding size. Required. */
  outputSize: number;
  /** Width of the guide g (the item's ID embedding). Required by `'guide'` gating; ignored by `'self'`. */
  guideSize?: number;
  /**
   * `'guide'`: the gate reads g, w = softmax((g·W_g + b) / τ). `'self'`: it reads x instead, with
   * the same form; `apply`'s `guide` is then ignored, so the ablation is this one option. Default `'guide'`.
   */
  gating?: Gating;
  /** Number of experts K. Default 4 (HM4SR). */
  numExperts?: number;
  /** `'linear'`: E_k(x) = x·W_k + c_k. `'mlp'`: E_k(x) = GELU(x·W_k + c_k)·V_k + e_k. Default `'linear'`. */
  expert?: ExpertKind;
  /** Hidden width of `'mlp'` experts; not used by linear experts. Default `outputSize`. */
  expertHiddenSize?: number;
  /** Gate temperature τ > 0: below 1 sharpens the weights, above 1 flattens them. Default 1. */
  temperature?: number;
  /**
   * While training, add ε ⊙ (softplus(s·W_n) + 0.01), ε ~ N(0, I), to the gate logits (UniSRec,
   * Shazeer et al. 2017), where s is the gate's source. Never at inference. Default false.
   */
  noisyGating?: boolean;
  /** Keep only the top-k gate logits per row; the other experts get weight exactly 0. Default `numExperts` (dense). */
  topK?: number;
  /** Dropout rate on x before the experts, while training (UniSRec uses 0.2). Default 0. */
  dropout?: number;
  /** How expert kernels start; biases start at 0. Default `'glorot-uniform'`. */
  initializer?: Initializer;
  /** How the gate (and noise) kernels start; 0 makes every row start uniform over the experts (UniSRec). Default `'zeros'`. */
  gateInitializer?: Initializer;
  /** Scope of the variable names, e.g. `moe/expert_0/kernel`, `moe/gate/kernel`. Default `'moe'`. */
  name?: string;
  /** Seed of every initial weight, dropout mask and gate-noise draw. Default: a random seed (not reproducible). */
  seed?: number;
}

/** The options after defaults, with the seed that was actually used. */
export interface ResolvedMixtureOfExpertsOptions {
  readonly inputSize: number;
  readonly outputSize: number;
  /** undefined for self gating without a guide size. */
  readonly guideSize: number | undefined;
  readonly gating: Gating;
  readonly numExperts: number;
  readonly expert: ExpertKind;
  readonly expertHiddenSize: number;
  readonly temperature: number;
  readonly noisyGating: boolean;
  readonly topK: number;
  readonly dropout: number;
  readonly initializer: Initializer;
  readonly gateInitializer: Initializer;
  readonly name: string;
  readonly seed: number;
}

/** Options of {@link MixtureOfExperts.apply}. */
export interface MixtureOfExpertsApplyOptions {
  /** The guide g, [..., guideSize] with the leading shape of x. Required by guide gating; ignored by self gating. */
  guide?: Tensor;
  /** Training turns on dropout and gate noise. Required, so no call trains by accident. */
  training: boolean;
  /** 1 = a real row, 0 = padding, shaped like x without its last axis; only real rows count in `loadBalancingLoss`. Default: all rows. */
  mask?: Tensor;
  /** Seed of this call's dropout mask and gate noise. Default: drawn from the module's seeded generator. */
  seed?: number;
}

/** What {@link MixtureOfExperts.apply} returns; the caller owns (and disposes) the tensors. */
export interface MixtureOfExpertsResult<T extends Tensor> {
  /** Σ_k w_k · E_k(x), [..., outputSize]. */
  output: T;
  /** The gate weights w, [..., numExperts]: each row sums to 1, with numExperts − topK exact zeros. */
  gateWeights: T;
  /** The importance loss CV²(Σ_rows w) over this call's (real) rows; add λ times it to the training loss. */
  loadBalancingLoss: Scalar;
}

/** An ID-guided (or self-gated) mixture of modality experts. */
export interface MixtureOfExperts extends Module {
  readonly config: ResolvedMixtureOfExpertsOptions;
  /** x [..., inputSize] of any rank ≥ 1 → the mixture, its gate weights and the load-balancing loss. */
  apply<T extends Tensor>(x: T, options: MixtureOfExpertsApplyOptions): MixtureOfExpertsResult<T>;
  /**
   * The same for a multi-hot x [N, inputSize] given by its hot columns ({@link HotRows}, e.g. item
   * codes), never materialised: every product with x is a sum of gathered rows. Outputs are [N, …].
   * Input dropout is not defined for it (`dropout` must be 0).
   */
  apply(x: HotRows, options: MixtureOfExpertsApplyOptions): MixtureOfExpertsResult<Tensor2D>;
  /**
   * The same for a constant x [N, inputSize] ({@link ConstantRows} of @imecd/nn, e.g.
   * frozen item features): the experts' gradient reaches their weights only, without the ∂x
   * product. With input dropout while training, x is no longer constant and is used as a tensor.
   */
  apply(x: ConstantRows, options: MixtureOfExpertsApplyOptions): MixtureOfExpertsResult<Tensor2D>;
}

/**
 * A layer that maps a modality input x (text or image features) to `Σ_k w_k(g) · E_k(x)` in d
 * dimensions, with the gate w computed from a guide g, the item's ID embedding (IMECD), or from x
 * itself (`gating: 'self'`, as UniSRec and HM4SR do). Variables: `<name>/expert_k/…` for each
 * expert, `<name>/gate/{kernel,bias}` and, with noisy gating, `<name>/gate_noise/kernel`.
 */
export function createMixtureOfExperts(options: MixtureOfExpertsOptions): MixtureOfExperts {
  const config = resolveOptions(options);
  const { inputSize, outputSize, numExperts, gating, name } = config;
  const rng = createSeededRng(config.seed);
  const gateSourceSize = gating === 'guide' ? (config.guideSize as number) : inputSize;

  const { experts, gate } = createChildModules<{ experts: ExpertBank; gate: Gate }>({
    experts: () =>
      createExpertBank({
        inputSize,
        outputSize,
        numExperts,
        kind: config.expert,
        hiddenSize: config.expertHiddenSize,
        name,
        seed: drawSeed(rng),
        initializer: config.initializer,
      }),
    gate: () =>
      createGate({
        sourceSize: gateSourceSize,
        numExperts,
        temperature: config.temperature,
        noisy: config.noisyGating,
        topK: config.topK,
        name: `${name}/gate`,
        seed: drawSeed(rng),
        initializer: config.gateInitializer,
      }),
  });
  const variables = [...experts.variables, ...gate.variables];

  return {
    config,
    variables,
    dispose: () => {
      experts.dispose();
      gate.dispose();
    },
    apply<T extends Tensor>(
      input: T | HotRows | ConstantRows,
      applyOptions: MixtureOfExpertsApplyOptions,
    ): MixtureOfExpertsResult<T> {
      const { guide, training, mask } = applyOptions;
      if (isConstantRows(input) && (input.values.rank !== 2 || input.values.shape[1] !== inputSize))
        throw new ShapeMismatchError('x.values', `[N, ${inputSize}]`, input.values.shape);
      // Dropout makes x differ per call, so constant rows with dropout on are just their values.
      const x = isConstantRows(input) && training && config.dropout > 0 ? input.values : input;
      const hot = isHotRows(x) ? x : undefined;
      const constant = isConstantRows(x) ? x : undefined;
      if (hot !== undefined) {
        checkHotRows(hot, inputSize);
        if (config.dropout > 0)
          throw new InvalidArgumentError(
            'dropout',
            `input dropout is not defined for hot rows (codes); got ${config.dropout}, use 0`,
          );
      } else if (constant === undefined && ((x as T).rank < 1 || (x as T).shape.at(-1) !== inputSize)) {
        throw new ShapeMismatchError('x', `[..., ${inputSize}]`, (x as T).shape);
      }
      const leadingShape =
        hot !== undefined
          ? [hot.hotColumns.shape[0]]
          : constant !== undefined
            ? [constant.values.shape[0]]
            : (x as T).shape.slice(0, -1);
      if (gating === 'guide') checkGuide(guide, leadingShape, gateSourceSize);
      if (mask !== undefined && !sameShape(mask.shape, leadingShape)) {
        throw new ShapeMismatchError(
          'mask',
          `[${leadingShape.join(', ')}] (the shape of x without its last axis)`,
          mask.shape,
        );
      }
      // Seeds are drawn only while training, so evaluation calls do not shift later training masks.
      const callRng = createSeededRng(applyOptions.seed ?? (training ? drawSeed(rng) : 0));
      const dropoutSeed = drawSeed(callRng);
      const noiseSeed = drawSeed(callRng);

      return tf.tidy(() => {
        const rows = hot ?? constant ?? (tf.reshape(x as T, [-1, inputSize]) as Tensor2D); // [N, in]
        const source =
          gating === 'guide'
            ? (tf.reshape(guide as Tensor, [-1, gateSourceSize]) as Tensor2D)
            : (hot ?? constant?.values ?? (rows as Tensor2D)); // [N, S]
        const weights = gate.apply(source, { training, seed: noiseSeed }); // [N, K]
        const expertOutputs = experts.apply(
          hot ?? constant ?? dropout(rows as Tensor2D, config.dropout, { training, seed: dropoutSeed }),
        ); // [N, K, out]
        const mixed = tf.sum(tf.mul(tf.expandDims(weights, 2) as Tensor3D, expertOutputs), 1); // [N, out]
        return {
          output: tf.reshape(mixed, [...leadingShape, outputSize]) as T, // [..., out]
          gateWeights: tf.reshape(weights, [...leadingShape, numExperts]) as T, // [..., K]
          loadBalancingLoss: loadBalancingLoss(weights, mask === undefined ? {} : { mask: tf.reshape(mask, [-1]) }),
        };
      });
    },
  };
}

function resolveOptions(options: MixtureOfExpertsOptions): ResolvedMixtureOfExpertsOptions {
  const gating = requireOneOf<Gating>('gating', options.gating ?? 'guide', ['guide', 'self']);
  if (gating === 'guide' && options.guideSize === undefined) {
    throw new InvalidArgumentError(
      'guideSize',
      "required by gating 'guide' (the width of the ID embedding); use gating 'self' to gate from x",
    );
  }
  const guideSize =
    options.guideSize === undefined ? undefined : requirePositiveInteger('guideSize', options.guideSize);
  const outputSize = requirePositiveInteger('outputSize', options.outputSize);
  const numExperts = requirePositiveInteger('numExperts', options.numExperts ?? 4);
  const topK = requirePositiveInteger('topK', options.topK ?? numExperts);
  if (topK > numExperts)
    throw new InvalidArgumentError('topK', `must be at most numExperts ${numExperts}, got ${topK}`);
  return {
    inputSize: requirePositiveInteger('inputSize', options.inputSize),
    outputSize,
    guideSize,
    gating,
    numExperts,
    expert: requireOneOf<ExpertKind>('expert', options.expert ?? 'linear', ['linear', 'mlp']),
    expertHiddenSize: requirePositiveInteger('expertHiddenSize', options.expertHiddenSize ?? outputSize),
    temperature: requirePositiveNumber('temperature', options.temperature ?? 1),
    noisyGating: requireBoolean('noisyGating', options.noisyGating ?? false),
    topK,
    dropout: requireRate('dropout', options.dropout ?? 0),
    initializer: requireInitializer('initializer', options.initializer ?? 'glorot-uniform'),
    gateInitializer: requireInitializer('gateInitializer', options.gateInitializer ?? 'zeros'),
    name: requireScopeName('name', options.name ?? 'moe'),
    seed: resolveSeed(options.seed),
  };
}

function checkGuide(guide: Tensor | undefined, leadingShape: readonly number[], guideSize: number): void {
  const expected = `[${[...leadingShape, guideSize].join(', ')}] (x's leading shape, then guideSize)`;
  if (guide === undefined)
    throw new InvalidArgumentError('guide', `required by gating 'guide': expected a tensor ${expected}`);
  if (!sameShape(guide.shape, [...leadingShape, guideSize]))
    throw new ShapeMismatchError('guide', expected, guide.shape);
}
