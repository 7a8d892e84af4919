#!/usr/bin/env node
// Validation curves of runs that differ in their batching, side by side: valid NDCG@10 per epoch
// of one seed of each run folder, its best epoch so far, and the mean training seconds per epoch.
// Reads only run folders (history.ndjson, config.json); trains nothing. Prints markdown:
//   node apps/reproduce/scripts/batching-curves.mjs [--seed N] [--epochs N] RUN_DIR [RUN_DIR ...]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { seed: { type: 'string', default: '1' }, epochs: { type: 'string' } },
  allowPositionals: true,
});
if (positionals.length === 0) {
  process.stderr.write('usage: batching-curves.mjs [--seed N] [--epochs N] RUN_DIR [RUN_DIR ...]\n');
  process.exit(2);
}
const runs = positionals.map((dir) => {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  const file = join(dir, `seed-${values.seed}`, 'history.ndjson');
  if (!existsSync(file)) throw new Error(`${file}: no history (has seed ${values.seed} finished an epoch?)`);
  const history = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  return { dir, batching: config.train.batching ?? 'length-bucketed', history };
});
const cap = values.epochs === undefined ? Math.max(...runs.map((run) => run.history.length)) : Number(values.epochs);
const ndcg = (record) => record.valid['ndcg@10'];
const lines = [
  `| epoch | ${runs.map((run) => run.batching).join(' | ')} |`,
  `|---|${runs.map(() => '---').join('|')}|`,
];
for (let epoch = 1; epoch <= cap; epoch++) {
  lines.push(
    `| ${epoch} | ${runs
      .map((run) => {
        const record = run.history.find((entry) => entry.epoch === epoch);
        return record ? ndcg(record).toFixed(4) : '';
      })
      .join(' | ')} |`,
  );
}
const summary = runs.map((run) => {
  const upTo = run.history.filter((record) => record.epoch <= cap);
  const best = upTo.reduce((a, b) => (ndcg(b) > ndcg(a) ? b : a));
  const train = upTo.map((record) => record.trainSeconds).filter((seconds) => seconds !== undefined);
  const mean = (list) => list.reduce((a, b) => a + b, 0) / list.length;
  return (
    `- ${run.batching} (${run.dir}): best valid NDCG@10 ${ndcg(best).toFixed(4)} at epoch ${best.epoch} of ${upTo.length}; ` +
    `${mean(train).toFixed(1)} s of training steps per epoch, ${mean(upTo.map((record) => record.seconds)).toFixed(1)} s with validation`
  );
});
process.stdout.write(`${lines.join('\n')}\n\n${summary.join('\n')}\n`);
