import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset, type SequenceDataset } from '@imecd/data-amazon';
import { datasetFingerprint, type RunConfig, type SeedMetrics } from '@imecd/experiments';
import { describe, expect, it } from 'vitest';
import { isShippedDataset, shippedDatasetFolder } from './shipped-datasets';

// The run records committed under results/runs (README "Run records in the repository") are what
// tables are rebuilt from in any checkout, so what git holds must be whole: a seed folder with its
// metrics and one test rank per user, score parts (where committed) of that seed's checkpoint, and a
// config whose data fingerprint is the shipped dataset's (else `--reuse` would never find it). Only
// tracked files count: seeds training now are not records yet.
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

function committedRunFiles(): Map<string, Set<string>> {
  const listed = execFileSync('git', ['ls-files', '-z', 'results/runs'], { cwd: repositoryRoot, encoding: 'utf8' });
  const runs = new Map<string, Set<string>>();
  for (const path of listed.split('\0').filter(Boolean)) {
    const [, , run, ...rest] = path.split('/');
    if (run === undefined || rest.length === 0) continue;
    if (!runs.has(run)) runs.set(run, new Set());
    runs.get(run)!.add(rest.join('/'));
  }
  return runs;
}

/** seed-N/score-parts.json as apps/reproduce/scripts/score-parts.mjs writes it. */
interface ScoreParts {
  parts: Record<string, { valid: Record<string, number>; test: Record<string, number> }>;
}

const readJsonFile = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

describe('committed run records (results/runs)', () => {
  it('hold whole seeds of shipped datasets, recorded with the fingerprint of the data shipped today', async () => {
    const datasets = new Map<string, SequenceDataset>();
    for (const [run, files] of committedRunFiles()) {
      const dir = join(repositoryRoot, 'results', 'runs', run);
      expect(files.has('config.json'), `${run}: config.json`).toBe(true);
      const config = readJsonFile<RunConfig>(join(dir, 'config.json'));
      expect(isShippedDataset(config.dataset), `${run}: a shipped dataset`).toBe(true);
      if (!isShippedDataset(config.dataset)) continue;
      if (!datasets.has(config.dataset)) {
        const folder = shippedDatasetFolder(config.dataset, {});
        datasets.set(config.dataset, await loadDataset(folder, { name: config.dataset }));
      }
      const dataset = datasets.get(config.dataset)!;
      expect(config.data, `${run}: data fingerprint`).toBe(datasetFingerprint(dataset));

      const seeds = new Set(
        [...files].filter((file) => file.startsWith('seed-')).map((file) => file.slice(0, file.indexOf('/'))),
      );
      expect(seeds.size, `${run}: at least one finished seed`).toBeGreaterThan(0);
      for (const seedDir of seeds) {
        expect(files.has(`${seedDir}/metrics.json`), `${run}/${seedDir}: metrics.json (a finished seed)`).toBe(true);
        expect(files.has(`${seedDir}/test-ranks.json`), `${run}/${seedDir}: test-ranks.json`).toBe(true);
        const metrics = readJsonFile<SeedMetrics>(join(dir, seedDir, 'metrics.json'));
        expect(`seed-${metrics.seed}`, `${run}/${seedDir}: metrics of its own seed`).toBe(seedDir);
        expect(config.seeds, `${run}: ${seedDir} is one of the run's seeds`).toContain(metrics.seed);
        const ranks = readJsonFile<number[]>(join(dir, seedDir, 'test-ranks.json'));
        expect(ranks, `${run}/${seedDir}: one test rank per user`).toHaveLength(dataset.numUsers);
        if (files.has(`${seedDir}/score-parts.json`)) {
          // The whole score (what the tables report) of the score parts must be this seed's own checkpoint's.
          const { parts } = readJsonFile<ScoreParts>(join(dir, seedDir, 'score-parts.json'));
          const whole = parts.all ?? parts.sum;
          expect(whole, `${run}/${seedDir}: score-parts.json has the whole score`).toBeDefined();
          for (const split of ['valid', 'test'] as const)
            expect(whole![split]['ndcg@10'], `${run}/${seedDir}: score parts' ${split} ndcg@10`).toBeCloseTo(
              metrics[split]['ndcg@10']!,
              6,
            );
        }
      }
    }
  }, 120_000);
});
