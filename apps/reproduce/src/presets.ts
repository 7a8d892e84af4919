import {
  type Hyperparameters,
  type InputSettings,
  type Preset,
  type RunSettings,
  resolveRunSettings,
} from '@imecd/experiments';
import { IMECD_VARIANT_NAMES } from '@imecd/imecd';
import type { TrainerSettings } from '@imecd/recommender';
import { MODELS } from './registry';

/**
 * The IMECD family (the fusion baseline, IMECD, its ablations) on a dataset where it was not searched:
 * the defaults chosen on scientific's validation, said so in every run's config.
 */
function untunedImecdFamily(
  dataset: string,
  extra: {
    train?: Partial<TrainerSettings>;
    hyperparameters?: Hyperparameters;
    inputs?: Partial<InputSettings>;
    why?: string;
  } = {},
): Record<string, Preset> {
  const note =
    `IMECD's defaults as chosen on scientific's validation; not searched on ${dataset} (each run there costs hours on a CPU)` +
    (extra.why ? `; ${extra.why}` : '');
  return Object.fromEntries(
    IMECD_VARIANT_NAMES.map((model) => [
      model,
      {
        note,
        ...(extra.train ? { train: extra.train } : {}),
        ...(extra.hyperparameters ? { hyperparameters: extra.hyperparameters } : {}),
        ...(extra.inputs ? { inputs: extra.inputs } : {}),
      },
    ]),
  );
}

/**
 * Per dataset and model, the settings `train` starts from; --set overrides them. Chosen on
 * validation NDCG@10 only, never on test.
 */
export const PRESETS: Record<string, Record<string, Preset>> = {
  scientific: {
    imecd: {
      note:
        "IMECD's defaults (packages/imecd/README.md), the generative reading. lambdaContrastive 0.01 chosen on validation NDCG@10, 3 seeds " +
        '(results/tune/scientific-imecd-contrastive-3seeds.md): 0.1 → 0.0826 ± 0.0013, 0.01 → 0.0851 ± 0.0009, and 0.1 with ' +
        'contrastiveTemperature 0.5 → 0.0847 ± 0.0003; without the term (imecd-no-contrastive) 0.0853 ± 0.0013, so the term does not ' +
        "help on validation. noiseScale 0.001 (DiffuRec's λ) against 0.01, 0.1 and 0.5, 3 seeds: 0.0851 ± 0.0009 vs 0.0842 ± 0.0010, " +
        '0.0786 ± 0.0009 and 0.0701 ± 0.0002 (results/tune/scientific-imecd-noiseScale-3seeds.md), so it stays; ' +
        "guidanceWeight 0.4 is DiQDiff's; against 0.2 and 0.6, 3 seeds: 0.0851 ± 0.0009 vs 0.0846 ± 0.0015 and 0.0844 ± 0.0017 (results/tune/scientific-imecd-guidanceWeight.md), so it stays. featureScaling 'center-unit' was chosen on validation for the first reading " +
        '(0.0780 → 0.0793, 3 seeds); lambdaVq and codebookSize searches of the first reading moved valid NDCG@10 by about one seed-to-seed std. ' +
        "streamGate 'id-state' (the ID stream's generation weighting each stream's term per history) against none, 3 seeds: " +
        '0.0790 ± 0.0013 vs 0.0851 ± 0.0009, best epochs 7-11 vs 14-16 (results/tune/scientific-imecd-streamGate.md), so it stays off',
    },
  },
  toys: {
    ...untunedImecdFamily('toys', {
      hyperparameters: { hiddenSize: 32 },
      why:
        'hiddenSize 32 per stream, so the two streams together are as wide as SASRec (64): on scientific it ties the ' +
        'default 64 on validation NDCG@10 over 3 seeds (0.0863 ± 0.0012 vs 0.0851 ± 0.0009; results/tune/scientific-imecd-hiddenSize-3seeds.md) ' +
        "and a toys epoch's training steps cost 1.5× SASRec's instead of 2.5×, which is what lets the toys tables fit issue 14's day",
    }),
    sasrec: {
      note:
        'field defaults (d 64, 2 layers, 2 heads, inner 256, dropout 0.5, lr 1e-3, batch 256, L 50, patience 10): ' +
        'no tuning needed, the test metrics of 3 seeds clear the published S3-Rec SASRec row',
    },
    'sasrec-bce': {
      note:
        "sasrec's settings with its paper's one-negative BCE instead of softmax cross-entropy, not tuned: the same network and " +
        'trainer, so the two rows differ only by the loss',
    },
  },
  games: untunedImecdFamily('games', {
    train: { maxStepPositions: 4096 },
    hyperparameters: { hiddenSize: 32 },
    inputs: { textInput: 'features' },
    why:
      'hiddenSize 32 per stream, as on toys: on scientific it ties the default 64 on validation NDCG@10 over 3 seeds ' +
      '(0.0863 ± 0.0012 vs 0.0851 ± 0.0009; results/tune/scientific-imecd-hiddenSize-3seeds.md), and a games training step ' +
      'takes 1.9 s instead of 3.7 s (SASRec 1.0 s; apps/bench/scripts/profile-kernels.mjs, 6 batches of the epoch, one wasm thread), ' +
      "which halves the days games' tables cost on a CPU. textInput 'features': the text stream reads the titles' 256-d TF-IDF, not the LLaMA text codes, because on validation " +
      "each item scored by its likeness to the user's last item ranks at NDCG@10 0.0173 by TF-IDF against 0.0072 by the text " +
      'codes and 0.0060 by popularity (results/feature-neighbours.md; the image codes: 0.0068); not yet confirmed with an ' +
      'IMECD run each way. maxStepPositions 4096 because with three streams (ID, image codes, text codes) over 16,860 table rows an uncapped ' +
      "256 × 50 step stalled at wasm32's 4 GiB heap (4.5 GB RSS, no progress for 4 minutes; the step is the same batch's, " +
      'its gradient summed over parts)',
  }),
  'instruments-mm': untunedImecdFamily('instruments-mm', {
    train: { maxStepPositions: 4096 },
    why:
      'maxStepPositions 4096 because a 256 × 50 batch over 6,251 items needs ~1.9 GB per stream on wasm and three ' +
      "streams pass wasm32's 4 GiB heap (the step is the same batch's, its gradient summed over parts)",
  }),
};

/** Resolves defaults < preset < --set, rejecting keys that neither the trainer nor the model has. */
export function resolveSettings(dataset: string, model: string, assignments: Record<string, string>): RunSettings {
  return resolveRunSettings(MODELS, model, { preset: PRESETS[dataset]?.[model], assignments });
}
