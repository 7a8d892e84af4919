import { makeTrainingBatches, makeTrainingWindows } from '@imecd/recommender';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createImecd } from './create-imecd';
import type { ImecdOptions } from './imecd-options';
import {
  expectModelLeaksNothing,
  SYNTHETIC_ITEMS,
  syntheticBatch,
  syntheticFeatures,
  TINY,
  useCpuBackend,
} from './synthetic.test-helper';

beforeAll(useCpuBackend);

const TEXT_DIM = 5;
const IMAGE_DIM = 4;
/** Item 3 has no text and item 5 no image. */
const features = () => ({
  text: syntheticFeatures('text', TEXT_DIM, 11, [3]),
  image: syntheticFeatures('image', IMAGE_DIM, 12, [5]),
});

/** Builds a model, runs `body`, and always frees its variable names. */
async function withModel<T>(
  options: Partial<ImecdOptions>,
  body: (model: ReturnType<typeof createImecd>) => T | Promise<T>,
): Promise<T> {
  const model = createImecd({ numItems: SYNTHETIC_ITEMS, features: features(), ...TINY, ...options });
  try {
    return await body(model);
  } finally {
    model.dispose();
  }
}

const HISTORIES = Int32Array.from([0, 0, 1, 2, 3, 4, 5, 6, 0, 3, 9, 5]); // [3, 4]

/** The scores of HISTORIES as plain numbers (the tensor is disposed). */
function historyScores(model: ReturnType<typeof createImecd>): number[] {
  const scores = model.scoreAll(HISTORIES, 3, 4);
  const values = Array.from(scores.dataSync());
  scores.dispose();
  return values;
}

/** historyScores of a model built from `options`, which is disposed afterwards. */
function historyScoresOfNewModel(options: ImecdOptions): number[] {
  const model = createImecd(options);
  try {
    return historyScores(model);
  } finally {
    model.dispose();
  }
}

/** The first reading as it was run: a separate denoiser, the generated vector scored with the streams. */
const FIRST_READING = { generator: 'separate', scoreFusion: 'sum' } as const;
const READINGS = [
  { reading: 'generative', options: {} },
  { reading: 'first', options: FIRST_READING },
] as const;

describe.each(READINGS)('createImecd ($reading reading)', ({ options: readingOptions }) => {
  /** withModel with this reading's options under `options`. */
  const withReading = <T>(
    options: Partial<ImecdOptions>,
    body: (model: ReturnType<typeof createImecd>) => T | Promise<T>,
  ) => withModel({ ...readingOptions, ...options }, body);

  it('scores every item for each history: [B, N + 1]', async () => {
    await withReading({}, (model) => {
      const scores = model.scoreAll(HISTORIES, 3, 4);
      expect(scores.shape).toEqual([3, SYNTHETIC_ITEMS + 1]);
      expect(Array.from(scores.dataSync()).every(Number.isFinite)).toBe(true);
      scores.dispose();
    });
  });

  it('scores deterministically: the DDIM sampler has a fixed seed', async () => {
    await withReading({}, (model) => {
      model.loss(syntheticBatch(6, 4, 1), { seed: 1 }).dispose(); // fits the codebooks, so the VQ is in play
      const first = model.scoreAll(HISTORIES, 3, 4);
      const second = model.scoreAll(HISTORIES, 3, 4);
      expect(Array.from(second.dataSync())).toEqual(Array.from(first.dataSync()));
      tf.dispose([first, second]);
    });
  });

  it('gives a user the same scores whatever batch, position and padding it is scored in (x_T is seeded by the history)', async () => {
    await withReading({}, (model) => {
      model.loss(syntheticBatch(6, 4, 1), { seed: 1 }).dispose();
      const rows = model.numItems + 1;
      const together = model.scoreAll(HISTORIES, 3, 4); // user [3, 9, 5] is row 2, padded to 4
      const alone = model.scoreAll(Int32Array.from([3, 9, 5]), 1, 3); // the same user alone, unpadded
      const reordered = model.scoreAll(Int32Array.from([0, 0, 0, 3, 9, 5, 0, 0, 1, 2, 0, 0]), 2, 6); // first, padded to 6
      const expected = Array.from(together.dataSync().slice(2 * rows, 3 * rows));
      for (const [actual, label] of [
        [alone.dataSync(), 'alone'],
        [reordered.dataSync().slice(0, rows), 'reordered'],
      ] as const) {
        Array.from(actual).forEach((value, item) => {
          expect(value, `${label}, item ${item}`).toBeCloseTo(expected[item]!, 4);
        });
      }
      // Different histories still draw different noise: their scores differ.
      expect(Array.from(together.dataSync().slice(0, rows))).not.toEqual(expected);
      tf.dispose([together, alone, reordered]);
    });
  });

  it.each(['id-guided', 'self-gated', 'none'] as const)(
    'gives an item without a modality no score from it, whatever its feature row holds (%s)',
    (moe) => {
      /** Scores of HISTORIES (which hold items 3 and 4) with items 3's and 4's text rows filled with the given values. */
      const scoresWith = (textRowOf3: number, textRowOf4: number): number[] => {
        const text = syntheticFeatures('text', TEXT_DIM, 11, [3]);
        text.values.fill(textRowOf3, 3 * TEXT_DIM, 4 * TEXT_DIM); // item 3 lacks text: its row must not matter
        text.values.fill(textRowOf4, 4 * TEXT_DIM, 5 * TEXT_DIM); // item 4 has text: its row must matter
        return historyScoresOfNewModel({
          numItems: SYNTHETIC_ITEMS,
          features: { text, image: features().image },
          ...TINY,
          ...readingOptions,
          moe,
        });
      };
      const base = scoresWith(0, 1);
      expect(scoresWith(9, 1)).toEqual(base);
      const changed = scoresWith(0, -2);
      expect(changed.some((value, index) => Math.abs(value - base[index]!) > 1e-6)).toBe(true);
    },
  );

  it('leaks no tensor in loss, gradients or scoreAll', async () => {
    await withReading({}, (model) => expectModelLeaksNothing(model, HISTORIES, 3, 4));
  });

  it('works on a dataset without features: the ID stream alone', async () => {
    const model = createImecd({ numItems: SYNTHETIC_ITEMS, ...TINY, ...readingOptions });
    try {
      expect(model.options.streams).toEqual(['id']);
      expect(model.variables.some((variable) => /fusion_logits|\/moe\/|encoder_text/.test(variable.name))).toBe(false);
      const loss = model.loss(syntheticBatch(6, 4, 1), { seed: 1 });
      expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
      const scores = model.scoreAll(HISTORIES, 3, 4);
      expect(scores.shape).toEqual([3, SYNTHETIC_ITEMS + 1]);
      tf.dispose([loss, scores]);
    } finally {
      model.dispose();
    }
  });

  it.each([
    { label: 'with text and image', withFeatures: true },
    { label: 'without features', withFeatures: false },
  ])('learns a next-item rule: the loss falls well below its start ($label)', async ({ withFeatures }) => {
    const model = createImecd({
      numItems: SYNTHETIC_ITEMS,
      ...TINY,
      ...readingOptions,
      dropout: 0,
      attentionDropout: 0,
      ...(withFeatures ? { features: features() } : {}),
    });
    const optimizer = tf.train.adam(0.02);
    try {
      // Synthetic walks: user u visits u + 1, u + 2, … (mod N), so the next item follows from the last.
      const sequences = Array.from({ length: 24 }, (_, user) =>
        Int32Array.from({ length: 6 }, (_, step) => ((user + step) % SYNTHETIC_ITEMS) + 1),
      );
      const windows = makeTrainingWindows(sequences, TINY.maxLength!);
      const losses: number[] = [];
      for (let epoch = 0; epoch < 20; epoch++) {
        for (const [index, batch] of makeTrainingBatches(windows, { batchSize: 12, seed: epoch }).entries()) {
          const loss = optimizer.minimize(
            () => model.loss(batch, { seed: epoch * 10 + index }),
            true,
            model.variables.filter((variable) => variable.trainable),
          );
          losses.push(loss!.dataSync()[0]!);
          loss!.dispose();
        }
      }
      const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
      expect(mean(losses.slice(-4))).toBeLessThan(0.6 * mean(losses.slice(0, 4)));
    } finally {
      optimizer.dispose();
      model.dispose();
    }
  });
});

describe('createImecd, parts of one reading', () => {
  it.each(['sum', 'generated', 'streams'] as const)(
    "createScorer computes the item side once and scores like scoreAll, leaking nothing (scoreFusion '%s')",
    async (scoreFusion) => {
      await withModel({ generator: 'separate', scoreFusion }, (model) => {
        model.loss(syntheticBatch(6, 4, 1), { seed: 1 }).dispose();
        const expected = model.scoreAll(HISTORIES, 3, 4);
        const tensorsBefore = tf.memory().numTensors;
        const scorer = model.createScorer!();
        const first = scorer.scoreAll(HISTORIES, 3, 4);
        const second = scorer.scoreAll(HISTORIES.subarray(4, 8), 1, 4); // a second batch reuses the item side
        Array.from(first.dataSync()).forEach((value, index) => {
          expect(value).toBeCloseTo(expected.dataSync()[index]!, 5);
        });
        Array.from(second.dataSync()).forEach((value, index) => {
          expect(value).toBeCloseTo(expected.dataSync()[model.numItems + 1 + index]!, 5);
        });
        tf.dispose([first, second]);
        scorer.dispose();
        expect(tf.memory().numTensors).toBe(tensorsBefore);
        expected.dispose();
      });
    },
  );

  it("splits the summed scores into the streams' and the generated vector's ('sum' = 'streams' + 'generated')", async () => {
    const scoresWith = (scoreFusion: 'sum' | 'generated' | 'streams') =>
      withModel({ generator: 'separate', scoreFusion }, (model) => {
        model.loss(syntheticBatch(6, 4, 1), { seed: 1 }).dispose(); // same seed, same batch: the same codebooks in all three
        return historyScores(model);
      });
    const [sum, generated, streams] = [
      await scoresWith('sum'),
      await scoresWith('generated'),
      await scoresWith('streams'),
    ];
    expect(streams.some((value, index) => Math.abs(value - sum[index]!) > 1e-3)).toBe(true); // the generated part is not zero
    sum.forEach((value, index) => {
      expect(value, `score ${index}`).toBeCloseTo(generated[index]! + streams[index]!, 4);
    });
  });

  it('sends gradients to every part: ID table, fusion, experts, each encoder, each codebook and the denoiser (first reading)', async () => {
    await withModel(FIRST_READING, (model) => {
      model.loss(syntheticBatch(8, 5, 1), { seed: 1 }).dispose(); // first training call: k-means fits the codebooks
      const trainable = model.variables.filter((variable) => variable.trainable);
      const { value, grads } = tf.variableGrads(() => model.loss(syntheticBatch(8, 5, 2), { seed: 2 }), trainable);
      const groups = [
        'item_embedding',
        'fusion_logits',
        'text/moe',
        'image/moe',
        'encoder_id',
        'encoder_text',
        'encoder_image',
        'vq/id',
        'vq/text',
        'vq/image',
        'diffusion/denoiser',
      ];
      const reached = (group: string) =>
        trainable.some(
          (variable) =>
            variable.name.startsWith(`imecd/${group}`) &&
            grads[variable.name] !== undefined &&
            tf.max(tf.abs(grads[variable.name]!)).dataSync()[0]! > 0,
        );
      expect(groups.filter((group) => !reached(group))).toEqual([]);
      expect(trainable.filter((variable) => variable.name.startsWith('imecd/image/moe/gate')).length).toBeGreaterThan(
        0,
      );
      tf.dispose([value, ...Object.values(grads)]);
    });
  });

  it("sends gradients to every part: ID table, experts, each encoder, each codebook and the generator's time network (generative reading)", async () => {
    await withModel({}, (model) => {
      model.loss(syntheticBatch(8, 5, 1), { seed: 1 }).dispose(); // first training call: k-means fits the codebooks
      const trainable = model.variables.filter((variable) => variable.trainable);
      const { value, grads } = tf.variableGrads(() => model.loss(syntheticBatch(8, 5, 2), { seed: 2 }), trainable);
      const groups = [
        'item_embedding',
        'text/moe',
        'image/moe',
        'encoder_id',
        'encoder_text',
        'encoder_image',
        'vq/id',
        'vq/text',
        'vq/image',
        'generator/time',
      ];
      const reached = (group: string) =>
        trainable.some(
          (variable) =>
            variable.name.startsWith(`imecd/${group}`) &&
            grads[variable.name] !== undefined &&
            tf.max(tf.abs(grads[variable.name]!)).dataSync()[0]! > 0,
        );
      expect(groups.filter((group) => !reached(group))).toEqual([]);
      expect(trainable.filter((variable) => variable.name.startsWith('imecd/image/moe/gate')).length).toBeGreaterThan(
        0,
      );
      tf.dispose([value, ...Object.values(grads)]);
    });
  });
});

describe('createImecd, generative reading', () => {
  it('learns a synthetic next-item rule through the generator alone: the reverse process ranks the next item first', async () => {
    const model = createImecd({
      numItems: SYNTHETIC_ITEMS,
      features: features(),
      ...TINY,
      dropout: 0,
      attentionDropout: 0,
      noiseScale: 0.5,
      samplingSteps: 4,
    });
    const optimizer = tf.train.adam(0.02);
    try {
      // Synthetic walks: user u visits u + 1, u + 2, … (mod N), so the next item follows from the last.
      const sequences = Array.from({ length: 24 }, (_, user) =>
        Int32Array.from({ length: 6 }, (_, step) => ((user + step) % SYNTHETIC_ITEMS) + 1),
      );
      const windows = makeTrainingWindows(sequences, TINY.maxLength!);
      for (let epoch = 0; epoch < 60; epoch++) {
        for (const [index, batch] of makeTrainingBatches(windows, { batchSize: 12, seed: epoch }).entries()) {
          optimizer.minimize(
            () => model.loss(batch, { seed: epoch * 10 + index }),
            false,
            model.variables.filter((variable) => variable.trainable),
          );
        }
      }
      // Held-out histories of three items; the score is the generation (scoreFusion 'generated').
      const starts = Array.from({ length: SYNTHETIC_ITEMS }, (_, start) => start);
      const histories = Int32Array.from(
        starts.flatMap((start) => [0, 1, 2].map((step) => ((start + step) % SYNTHETIC_ITEMS) + 1)),
      );
      const scores = model.scoreAll(histories, starts.length, 3);
      const best = Array.from(
        tf.argMax(tf.slice(scores, [0, 1], [starts.length, SYNTHETIC_ITEMS]), 1).dataSync(),
        (index) => index + 1,
      );
      const hits = starts.filter((start, row) => best[row] === ((start + 3) % SYNTHETIC_ITEMS) + 1).length;
      expect(model.options.scoreFusion).toBe('generated');
      expect(hits).toBeGreaterThanOrEqual(10); // of 12; chance is 1
      scores.dispose();
    } finally {
      optimizer.dispose();
      model.dispose();
    }
  });

  it("scores with one stream's term of the generation: the three parts add up to the whole score", async () => {
    // Same seed, same weights: only which streams of x̂_0 meet their item tables changes.
    const parts = ['all', 'id', 'text', 'image'].map((scoreStreams) =>
      historyScoresOfNewModel({
        numItems: SYNTHETIC_ITEMS,
        features: features(),
        ...TINY,
        scoreStreams: scoreStreams as ImecdOptions['scoreStreams'],
      }),
    );
    const [all, id, text, image] = parts as [number[], number[], number[], number[]];
    all.forEach((value, index) => {
      expect(id[index]! + text[index]! + image[index]!).toBeCloseTo(value, 4);
    });
    expect(id.some((value, index) => Math.abs(value - all[index]!) > 1e-3)).toBe(true);
    expect(() =>
      createImecd({ numItems: SYNTHETIC_ITEMS, features: { text: features().text }, ...TINY, scoreStreams: 'image' }),
    ).toThrow(/scoreStreams: expected one of 'all', 'id', 'text', got "image"/);
    expect(() =>
      createImecd({
        numItems: SYNTHETIC_ITEMS,
        features: features(),
        ...TINY,
        generator: 'separate',
        scoreStreams: 'id',
      }),
    ).toThrow(/scoreStreams: one stream's part/);
  });

  it('runs the reverse process: the number of sampling steps changes the scores, and -no-cdg has no generator', async () => {
    const scoresWith = (options: Partial<ImecdOptions>) =>
      withModel({ noiseScale: 1, ...options }, (model) => {
        model.loss(syntheticBatch(6, 4, 1), { seed: 1 }).dispose();
        return { values: historyScores(model), names: model.variables.map((variable) => variable.name) };
      });
    const one = await scoresWith({ samplingSteps: 1 });
    const four = await scoresWith({ samplingSteps: 4 });
    expect(one.values.some((value, index) => Math.abs(value - four.values[index]!) > 1e-4)).toBe(true);
    expect(one.names.some((name) => name.startsWith('imecd/generator/time'))).toBe(true);
    const plain = await scoresWith({ diffusion: false, contrastive: false });
    expect(
      plain.names.some(
        (name) => name.includes('generator') || name.includes('diffusion') || name.includes('fusion_logits'),
      ),
    ).toBe(false);
  });

  it('adds the VQ code of the history profile to the tokens: γ = 0 and -no-vq score alike, γ > 0 does not', async () => {
    const scoresWith = (options: Partial<ImecdOptions>) =>
      withModel({ diffusion: false, contrastive: false, ...options }, (model) => {
        model.loss(syntheticBatch(6, 4, 1), { seed: 1 }).dispose(); // fits the codebooks
        return historyScores(model);
      });
    const withoutVq = await scoresWith({ vq: false });
    const weightZero = await scoresWith({ guidanceWeight: 0 });
    const guided = await scoresWith({ guidanceWeight: 0.4 });
    weightZero.forEach((value, index) => {
      expect(value).toBeCloseTo(withoutVq[index]!, 5);
    });
    expect(guided.some((value, index) => Math.abs(value - withoutVq[index]!) > 1e-4)).toBe(true);
  });

  it('refuses the first reading’s score fusions and bad generator options', () => {
    expect(() => createImecd({ numItems: 4, scoreFusion: 'sum' })).toThrow(/scoreFusion.*separate/);
    expect(() => createImecd({ numItems: 4, generator: 'mlp' as never })).toThrow(/generator/);
    expect(() => createImecd({ numItems: 4, guidanceWeight: 1 })).toThrow(/guidanceWeight/);
    expect(() => createImecd({ numItems: 4, noiseScale: -0.1 })).toThrow(/noiseScale/);
    expect(() => createImecd({ numItems: 4, contrastiveTemperature: 0 })).toThrow(/contrastiveTemperature/);
  });
});

describe('createImecd with item codes as a modality', () => {
  /** Synthetic codes: 2 levels of 3 codes per item; item 4 has none (mask 0). */
  const LEVELS = 2;
  const PER_LEVEL = 3;
  const codeRows = Array.from({ length: SYNTHETIC_ITEMS + 1 }, (_, item) =>
    item === 0 || item === 4 ? [0, 0] : [item % PER_LEVEL, (item * 2) % PER_LEVEL],
  );
  const codes = (codeOfItem4 = 0) => ({
    modality: 'image',
    levels: LEVELS,
    codesPerLevel: PER_LEVEL,
    codes: Int32Array.from(codeRows.flatMap((row, item) => (item === 4 ? [codeOfItem4, codeOfItem4] : row))),
    mask: Uint8Array.from({ length: SYNTHETIC_ITEMS + 1 }, (_, item) => (item === 0 || item === 4 ? 0 : 1)),
    source: 'synthetic',
  });
  /** The same codes materialised as the multi-hot rows they stand for. */
  const multiHot = () => {
    const dim = LEVELS * PER_LEVEL;
    const values = new Float32Array((SYNTHETIC_ITEMS + 1) * dim);
    codeRows.forEach((row, item) => {
      if (item === 0 || item === 4) return;
      row.forEach((code, level) => {
        values[item * dim + level * PER_LEVEL + code] = 1;
      });
    });
    return { modality: 'image', dim, values, mask: codes().mask, source: 'synthetic' };
  };

  it.each(['id-guided', 'self-gated', 'none'] as const)(
    'trains and scores exactly as the materialised multi-hot features (%s)',
    (moe) => {
      const run = (image: ReturnType<typeof codes> | ReturnType<typeof multiHot>) => {
        const model = createImecd({
          numItems: SYNTHETIC_ITEMS,
          features: { image },
          ...TINY,
          moe,
          featureScaling: 'none',
        });
        try {
          const loss = model.loss(syntheticBatch(6, 4, 1), { seed: 1 });
          const result = {
            loss: loss.dataSync()[0]!,
            scores: historyScores(model),
            width: model.options.featureSizes.image,
          };
          loss.dispose();
          return result;
        } finally {
          model.dispose();
        }
      };
      const fromCodes = run(codes());
      const fromDense = run(multiHot());
      expect(fromCodes.width).toBe(LEVELS * PER_LEVEL);
      expect(fromCodes.loss).toBeCloseTo(fromDense.loss, 5);
      fromCodes.scores.forEach((value, index) => {
        expect(value, `score ${index}`).toBeCloseTo(fromDense.scores[index]!, 4);
      });
    },
  );

  it('ignores the codes of an item whose mask is 0', () => {
    const scoresWith = (codeOfItem4: number) =>
      historyScoresOfNewModel({ numItems: SYNTHETIC_ITEMS, features: { image: codes(codeOfItem4) }, ...TINY });
    expect(scoresWith(2)).toEqual(scoresWith(0));
  });

  it('rejects codes of the wrong length', () => {
    expect(() =>
      createImecd({ numItems: SYNTHETIC_ITEMS, features: { image: { ...codes(), codes: new Int32Array(5) } } }),
    ).toThrow(/features\.image\.codes/);
  });
});
