import { resolve } from 'node:path';
import { formatDuration, listRunStatuses, type RunStatus, type SeedStatus } from '@imecd/experiments';
import { JSON_FLAG, parseFlags } from '../cli-args';
import type { CliIo } from '../cli-io';

export const STATUS_USAGE = `pnpm reproduce status [--out-dir DIR] [--model NAME] [--dataset NAME] [--json]

Where the runs under DIR (default runs) stand, seed by seed, from their validation history alone:
finished, partial (training now, or killed and resumable with --reuse) or not started; epochs so
far, the best epoch and its validation score, epochs since, and at most how many more epochs a
partial seed can train before early stopping (patience) with its recent epoch time. Test metrics
are never shown: a table's test set is read once, when the table is made.

  --out-dir DIR   the folder holding the run folders (default runs)
  --model NAME    only runs of this model
  --dataset NAME  only runs on this dataset
  --json          one JSON object: { outDir, runs: [{ runDir, model, dataset, selectMetric,
                  patience, maxEpochs, seeds: [{ seed, state, epochs, bestEpoch, bestValid,
                  epochsSinceBest, epochSeconds, epochsLeftAtMost, lastWritten }] }] }`;

export async function runStatus(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, {
    'out-dir': { type: 'string' },
    model: { type: 'string' },
    dataset: { type: 'string' },
    ...JSON_FLAG,
  });
  const outDir = resolve(io.cwd, values['out-dir'] ?? 'runs');
  const runs = await listRunStatuses(outDir, {
    ...(values.model === undefined ? {} : { model: values.model }),
    ...(values.dataset === undefined ? {} : { dataset: values.dataset }),
  });
  if (values.json) {
    io.stdout(`${JSON.stringify({ outDir, runs })}\n`);
    return 0;
  }
  if (runs.length === 0) {
    io.stdout(`no run folders${values.model || values.dataset ? ' that match' : ''} in ${outDir}\n`);
    return 0;
  }
  io.stdout(`${runs.map(formatRun).join('\n\n')}\n\nvalidation only: no test metric is shown.\n`);
  return 0;
}

function formatRun(run: RunStatus): string {
  const limits = [
    ...(run.patience === null ? [] : [`patience ${run.patience}`]),
    ...(run.maxEpochs === null ? [] : [`at most ${run.maxEpochs} epochs`]),
  ];
  const header = `${run.runDir}\n  ${run.model} on ${run.dataset}, selected on valid ${run.selectMetric}${limits.length ? ` (${limits.join(', ')})` : ''}`;
  const left = formatLeft(run.seeds);
  return [
    header,
    ...run.seeds.map((seed) => `  ${formatSeed(seed, run.selectMetric)}`),
    ...(left ? [`  ${left}`] : []),
  ].join('\n');
}

/**
 * What the run still needs, roughly: a partial seed as many epochs as the finished seeds' median
 * run, and at least what its patience leaves; a seed not started the finished seeds' median; at the
 * partial seeds' recent epoch time. Undefined when nothing is left or nothing has trained yet.
 */
function formatLeft(seeds: readonly SeedStatus[]): string | undefined {
  const typicalEpochs = median(seeds.filter((seed) => seed.state === 'finished').map((seed) => seed.epochs));
  const waiting = seeds.filter((seed) => seed.state === 'not started').length;
  const partial = seeds.filter((seed) => seed.state === 'partial');
  if (waiting + partial.length === 0 || typicalEpochs === 0) return undefined;
  const partialEpochs = partial.reduce(
    (sum, seed) => sum + Math.max(seed.epochsLeftAtMost ?? 0, (typicalEpochs ?? 0) - seed.epochs),
    0,
  );
  const parts = [
    ...(partial.length ? [`~${partialEpochs} epochs for ${partial.length} partial seed(s)`] : []),
    ...(waiting && typicalEpochs !== null ? [`~${typicalEpochs} for each of ${waiting} seed(s) not started`] : []),
  ];
  if (parts.length === 0) return undefined;
  // The partial seeds' recent epochs say most about the machine now; finished seeds' otherwise.
  const timed = (list: readonly SeedStatus[]) =>
    list.flatMap((seed) => (seed.epochSeconds === null ? [] : [seed.epochSeconds]));
  const epochSeconds = median(timed(partial).length > 0 ? timed(partial) : timed(seeds));
  const epochs = partialEpochs + (typicalEpochs ?? 0) * waiting;
  const time =
    epochSeconds === null
      ? ''
      : `: ~${formatDuration(epochs * epochSeconds)} at ${formatDuration(epochSeconds)} an epoch`;
  const basis =
    typicalEpochs === null ? ' (patience left only: no seed finished yet)' : " (the finished seeds' median run)";
  return `left: ${parts.join(', ')}${basis}${time}`;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function formatSeed(seed: SeedStatus, metric: string): string {
  const label = `seed ${seed.seed}  ${seed.state.padEnd(11)}`;
  if (seed.state === 'not started') return label.trimEnd();
  if (seed.state === 'finished' && seed.epochs === 0) {
    // Pop: scored once, nothing trained.
    const valid = seed.bestValid === null ? '' : `, valid ${metric} ${seed.bestValid.toFixed(4)}`;
    return `${label} no epochs (nothing to train)${valid}`;
  }
  const best =
    seed.bestEpoch === null || seed.bestValid === null
      ? ''
      : `, best ${seed.bestEpoch} (valid ${metric} ${seed.bestValid.toFixed(4)})`;
  const parts = [`${label} ${seed.epochs} epoch${seed.epochs === 1 ? '' : 's'}${best}`];
  if (seed.state === 'partial') {
    if (seed.epochsSinceBest !== null) parts.push(`${seed.epochsSinceBest} since`);
    if (seed.epochsLeftAtMost !== null) {
      const time =
        seed.epochSeconds === null ? '' : ` (≤ ${formatDuration(seed.epochsLeftAtMost * seed.epochSeconds)})`;
      parts.push(`at most ${seed.epochsLeftAtMost} more${time}`);
    }
    if (seed.epochSeconds !== null) parts.push(`${formatDuration(seed.epochSeconds)} an epoch lately`);
    if (seed.lastWritten !== null) parts.push(`history written ${seed.lastWritten.replace('T', ' ').slice(0, 16)} UTC`);
  }
  return parts.join('; ');
}
