import { InvalidArgumentError } from '@imecd/core';
import { createImecd, type ImecdModel } from './create-imecd';
import type { ImecdOptions } from './imecd-options';

/** The switches a variant sets; everything else comes from the caller's options. */
export type ImecdSwitches = Pick<ImecdOptions, 'moe' | 'vq' | 'diffusion' | 'contrastive'>;

/**
 * The full model, its ablations (each removes one part) and the multimodal fusion baseline in the
 * spirit of HM4SR / MMSR: the same streams with self-gated experts and summed scores, without VQ
 * and without diffusion.
 */
export const IMECD_VARIANTS = Object.freeze({
  imecd: { moe: 'id-guided', vq: true, diffusion: true, contrastive: true },
  'imecd-no-moe': { moe: 'none', vq: true, diffusion: true, contrastive: true },
  'imecd-self-gate': { moe: 'self-gated', vq: true, diffusion: true, contrastive: true },
  'imecd-no-vq': { moe: 'id-guided', vq: false, diffusion: true, contrastive: true },
  'imecd-no-cdg': { moe: 'id-guided', vq: true, diffusion: false, contrastive: false },
  'imecd-no-contrastive': { moe: 'id-guided', vq: true, diffusion: true, contrastive: false },
  'mm-fusion': { moe: 'self-gated', vq: false, diffusion: false, contrastive: false },
} satisfies Record<string, Required<ImecdSwitches>>);

export type ImecdVariantName = keyof typeof IMECD_VARIANTS;

/** The variant names, in table order. */
export const IMECD_VARIANT_NAMES = Object.freeze(Object.keys(IMECD_VARIANTS) as ImecdVariantName[]);

/**
 * The options a variant never reads: two runs of it that differ only in these trained the same
 * model (an experiment runner should treat them as one). Without the contrastive term, its weight
 * and temperature are dead.
 */
export function unusedOptions(variant: ImecdVariantName): readonly (keyof ImecdOptions)[] {
  return IMECD_VARIANTS[variant].contrastive ? [] : ['lambdaContrastive', 'contrastiveTemperature'];
}

/** Builds a named variant: its switches over `options`, and its name as model name and variable scope. */
export function createImecdVariant(
  variant: string,
  options: Omit<ImecdOptions, keyof ImecdSwitches | 'name'>,
): ImecdModel {
  if (!(variant in IMECD_VARIANTS)) {
    throw new InvalidArgumentError(
      'variant',
      `unknown IMECD variant "${variant}"; choose one of ${IMECD_VARIANT_NAMES.join(', ')}`,
    );
  }
  return createImecd({ ...options, ...IMECD_VARIANTS[variant as ImecdVariantName], name: variant });
}
