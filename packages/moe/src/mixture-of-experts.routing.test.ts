// Functional test: on synthetic data where the right expert depends on the guide, the trained
// ID-guided gate sends each group to its own expert; a self-gated mixture cannot, because here x
// carries no information about the group.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMixtureOfExperts, type Gating } from './mixture-of-experts';
import { syntheticTensor, useCpuBackend } from './synthetic.test-helper';

beforeAll(useCpuBackend);
afterEach(() => {
  tf.disposeVariables();
});

const GROUPS = 4;
const INPUT_SIZE = 6;
const OUTPUT_SIZE = 3;
const GUIDE_SIZE = 4;

/**
 * Synthetic task: item i belongs to group i mod 4; its guide (ID embedding) is 2·e_group plus
 * N(0, 0.3²) noise; its features x ~ N(0, I) say nothing about the group; the target is x·T_group
 * with one random linear map per group. One expert per group is the natural solution.
 */
function routingTask(taskSeed: number) {
  const transforms = syntheticTensor<tf.Rank.R3>(
    [GROUPS, INPUT_SIZE, OUTPUT_SIZE],
    taskSeed,
    1 / Math.sqrt(INPUT_SIZE),
  );
  const centres = tf.mul(tf.eye(GROUPS, GUIDE_SIZE), 2);
  return (count: number, sampleSeed: number) => {
    const group = Int32Array.from({ length: count }, (_, index) => index % GROUPS);
    const groupIds = tf.tensor1d(group, 'int32');
    const guide = tf.add(
      tf.gather(centres, groupIds),
      syntheticTensor([count, GUIDE_SIZE], sampleSeed, 0.3),
    ) as tf.Tensor2D;
    const x = syntheticTensor<tf.Rank.R2>([count, INPUT_SIZE], sampleSeed + 1);
    const target = tf.squeeze(tf.matMul(tf.expandDims(x, 1), tf.gather(transforms, groupIds)), [1]) as tf.Tensor2D; // [N, out]
    return { group, guide, x, target };
  };
}

/** Trains noisy top-2 mixtures with Adam on MSE + 0.1 · load balancing; evaluates on held-out samples. */
function trainAndEvaluate(gating: Gating, seed: number) {
  const sample = routingTask(seed);
  const train = sample(64, seed + 10);
  const moe = createMixtureOfExperts({
    inputSize: INPUT_SIZE,
    outputSize: OUTPUT_SIZE,
    guideSize: GUIDE_SIZE,
    numExperts: GROUPS,
    topK: 2,
    noisyGating: true,
    gating,
    seed,
    name: `routing_${gating}_${seed}`,
  });
  const optimizer = tf.train.adam(0.05);
  for (let step = 0; step < 100; step++) {
    optimizer.minimize(
      () => {
        const { output, loadBalancingLoss } = moe.apply(train.x, { guide: train.guide, training: true, seed: step });
        return tf.add(tf.losses.meanSquaredError(train.target, output), tf.mul(0.1, loadBalancingLoss)) as tf.Scalar;
      },
      false,
      [...moe.variables],
    );
  }
  const test = sample(200, seed + 20);
  const { output, gateWeights } = moe.apply(test.x, { guide: test.guide, training: false });
  const relativeError =
    tf.losses.meanSquaredError(test.target, output).dataSync()[0]! / tf.moments(test.target).variance.dataSync()[0]!;
  const weights = gateWeights.arraySync() as number[][];
  // Mean gate weight of each expert over each group's rows: [group][expert].
  const groupMeans = Array.from({ length: GROUPS }, (_, group) => {
    const rows = weights.filter((_, index) => test.group[index] === group);
    return Array.from(
      { length: GROUPS },
      (_, expert) => rows.reduce((sum, row) => sum + row[expert]!, 0) / rows.length,
    );
  });
  const dominant = groupMeans.map((means) => means.indexOf(Math.max(...means)));
  return { relativeError, groupMeans, dominant };
}

// Each run trains for 100 steps (about a second on one core); the generous timeout is for a loaded machine.
const TIMEOUT_MS = 60_000;

describe('ID-guided routing (functional, synthetic data)', () => {
  const guided = new Map<number, ReturnType<typeof trainAndEvaluate>>();

  it('routes each group to a distinct expert and fits every group', { timeout: TIMEOUT_MS }, () => {
    for (const seed of [1, 2]) {
      const result = trainAndEvaluate('guide', seed);
      guided.set(seed, result);
      const { relativeError, groupMeans, dominant } = result;
      const report = `seed ${seed}: ${JSON.stringify(groupMeans.map((means) => means.map((mean) => mean.toFixed(2))))}`;
      expect(new Set(dominant).size, report).toBe(GROUPS);
      groupMeans.forEach((means, group) => {
        expect(means[dominant[group]!], report).toBeGreaterThan(0.75);
      });
      expect(relativeError, report).toBeLessThan(0.05);
    }
  });

  it('self gating on the same data cannot tell the groups apart', { timeout: TIMEOUT_MS }, () => {
    const guidedError = (guided.get(1) ?? trainAndEvaluate('guide', 1)).relativeError;
    const selfGated = trainAndEvaluate('self', 1);
    expect(selfGated.relativeError).toBeGreaterThan(10 * guidedError);
    for (const means of selfGated.groupMeans) expect(Math.max(...means)).toBeLessThan(0.75);
  });
});
