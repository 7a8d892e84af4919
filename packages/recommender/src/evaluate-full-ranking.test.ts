import { padHistories } from '@imecd/core';
import { createRankingEvaluator } from '@imecd/metrics';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateFullRanking } from './evaluate-full-ranking';
import { createSasrec } from './sasrec';
import { syntheticWalks, useCpuBackend } from './test-backend.test-helper';

beforeAll(useCpuBackend);

describe('evaluateFullRanking', () => {
  it('gives each user the rank of one full-width pass, in the caller order, whatever the batching', () => {
    const numItems = 30;
    const model = createSasrec({ numItems, hiddenSize: 8, innerSize: 16, maxLength: 10, seed: 9, name: 'evaluate' });
    // Synthetic users with histories of different lengths, in no particular order.
    const walks = syntheticWalks(23, numItems, 11);
    const histories = walks.map((walk, user) => walk.slice(0, 1 + ((user * 7) % 10)));
    const targets = Int32Array.from(walks, (walk, user) => walk[1 + ((user * 7) % 10)]!);

    // Reference: every user alone, padded to the full maxLength.
    const reference = createRankingEvaluator({ ks: [5, 10], excludeItems: [0] });
    histories.forEach((history, user) => {
      const scores = model.scoreAll(padHistories([history], 10), 1, 10);
      reference.addBatch({
        scores: scores.dataSync() as Float32Array,
        numItems: numItems + 1,
        targets: targets.subarray(user, user + 1),
      });
      scores.dispose();
    });
    const expected = reference.result();
    for (const batchSize of [1, 4, 100]) {
      const actual = evaluateFullRanking(model, { histories, targets }, { ks: [5, 10], batchSize });
      Array.from(actual.ranks).forEach((rank, user) => {
        expect(rank).toBeCloseTo(expected.ranks[user]!, 3);
      });
      Array.from(actual.perUser('ndcg@10')).forEach((value, user) => {
        expect(value).toBeCloseTo(expected.perUser('ndcg@10')[user]!, 4);
      });
      expect(actual.metrics['hr@10']!).toBeCloseTo(expected.metrics['hr@10']!, 6);
    }
    model.dispose();
  });

  it('scores a pass through one scorer from the model, disposes it, and matches a model that has none', () => {
    const numItems = 25;
    const model = createSasrec({ numItems, hiddenSize: 8, innerSize: 16, maxLength: 6, seed: 4, name: 'scorer' });
    const walks = syntheticWalks(17, numItems, 7);
    const histories = walks.map((walk, user) => walk.slice(0, 1 + (user % 6)));
    const targets = Int32Array.from(walks, (walk, user) => walk[1 + (user % 6)]!);
    const calls = { created: 0, disposed: 0 };
    const counting = {
      ...model,
      createScorer: () => {
        calls.created++;
        const scorer = model.createScorer!();
        return {
          scoreAll: scorer.scoreAll,
          dispose: () => {
            calls.disposed++;
            scorer.dispose();
          },
        };
      },
    };
    const { createScorer: _unused, ...withoutScorer } = model;
    const tensorsBefore = tf.memory().numTensors;
    const viaScorer = evaluateFullRanking(counting, { histories, targets }, { batchSize: 5 });
    expect(calls).toEqual({ created: 1, disposed: 1 });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const viaScoreAll = evaluateFullRanking(withoutScorer, { histories, targets }, { batchSize: 5 });
    Array.from(viaScorer.ranks).forEach((rank, user) => {
      expect(rank).toBeCloseTo(viaScoreAll.ranks[user]!, 4);
    });
    model.dispose();
  });
});
