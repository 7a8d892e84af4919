import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type MeanStd, type MetricKey, pairedTTest, perUserMetric, wilcoxonSignedRank } from '@imecd/metrics';

/** One model's row as `train --json` reports it. */
export interface ModelSummary {
  model: string;
  seeds: number[];
  valid: Record<string, MeanStd | number>;
  test: Record<string, MeanStd | number>;
  secondsPerEpoch: number;
  runDir: string;
}

/** The proposed model against the best baseline on one metric. */
export interface MetricImprovement {
  /** The baseline with the highest test mean on this metric. */
  baseline: string;
  baselineMean: number;
  mean: number;
  /** (mean − baselineMean) / baselineMean. */
  relative: number;
  /**
   * Paired tests over test users on the per-user metric, each user's value averaged over seeds
   * (seed s of one model paired with the same users of the other). Two-sided p-values.
   */
  tTest: { t: number; pValue: number };
  wilcoxon: { z: number; pValue: number };
  users: number;
}

export interface Improvement {
  model: string;
  /** Against the best baseline of each metric (the papers' "improvement" row). */
  metrics: Record<string, MetricImprovement>;
  /** Against every baseline in turn: versus[baseline][metric]. */
  versus: Record<string, Record<string, MetricImprovement>>;
}

export const meanOf = (value: MeanStd | number | undefined): number =>
  value === undefined ? Number.NaN : typeof value === 'number' ? value : value.mean;

/**
 * `model` against every row of `baselines`, per metric: the relative improvement over the best
 * baseline and paired significance tests on the test users. Undefined when the model or every
 * baseline is missing, or a run lacks its per-user test ranks.
 */
export async function computeImprovement(
  model: string,
  rows: ModelSummary[],
  baselines: string[],
  metrics: readonly MetricKey[],
): Promise<Improvement | undefined> {
  const proposed = rows.find((row) => row.model === model);
  const candidates = rows.filter((row) => baselines.includes(row.model));
  if (proposed === undefined || candidates.length === 0) return undefined;
  // Each run's ranks are read once; every metric and pairing derives from them.
  const ranks = new Map<ModelSummary, number[][]>();
  for (const row of [proposed, ...candidates]) {
    const seedRanks = await readSeedRanks(row);
    if (seedRanks === undefined) return undefined;
    ranks.set(row, seedRanks);
  }
  const versus: Record<string, Record<string, MetricImprovement>> = Object.fromEntries(
    candidates.map((row) => [row.model, {}]),
  );
  for (const metric of metrics) {
    const ours = perUserOverSeeds(ranks.get(proposed)!, metric);
    for (const baseline of candidates)
      versus[baseline.model]![metric] = compare(
        proposed,
        ours,
        baseline,
        perUserOverSeeds(ranks.get(baseline)!, metric),
        metric,
      );
  }
  const best: Record<string, MetricImprovement> = {};
  for (const metric of metrics) {
    const top = candidates.reduce((leader, row) =>
      meanOf(row.test[metric]) > meanOf(leader.test[metric]) ? row : leader,
    );
    best[metric] = versus[top.model]![metric]!;
  }
  return { model, metrics: best, versus };
}

/** `proposed` against `baseline` on one metric: relative difference of the means and paired tests over users. */
function compare(
  proposed: ModelSummary,
  ours: Float64Array,
  baseline: ModelSummary,
  theirs: Float64Array,
  metric: MetricKey,
): MetricImprovement {
  const tTest = pairedTTest(ours, theirs);
  const wilcoxon = wilcoxonSignedRank(ours, theirs);
  const baselineMean = meanOf(baseline.test[metric]);
  const mean = meanOf(proposed.test[metric]);
  return {
    baseline: baseline.model,
    baselineMean,
    mean,
    relative: (mean - baselineMean) / baselineMean,
    tTest: { t: tTest.t, pValue: tTest.pValue },
    wilcoxon: { z: wilcoxon.z, pValue: wilcoxon.pValue },
    users: ours.length,
  };
}

/** Each seed's per-user test ranks (seed-N/test-ranks.json), or undefined when a seed has none. */
async function readSeedRanks(row: ModelSummary): Promise<number[][] | undefined> {
  const perSeed: number[][] = [];
  for (const seed of row.seeds) {
    const file = join(row.runDir, `seed-${seed}`, 'test-ranks.json');
    if (!existsSync(file)) return undefined;
    perSeed.push(JSON.parse(await readFile(file, 'utf8')) as number[]);
  }
  return perSeed.length === 0 ? undefined : perSeed;
}

/** Each test user's metric, averaged over the seeds. */
function perUserOverSeeds(seedRanks: number[][], metric: MetricKey): Float64Array {
  const sum = new Float64Array(seedRanks[0]!.length);
  for (const ranks of seedRanks) {
    const values = perUserMetric(ranks, metric);
    for (let user = 0; user < values.length; user++) sum[user]! += values[user]!;
  }
  for (let user = 0; user < sum.length; user++) sum[user]! /= seedRanks.length;
  return sum;
}
