#!/usr/bin/env node
// Which part of IMECD's score ranks the items? For every IMECD-family row of results/<dataset>.json
// (the fusion baseline, IMECD and its ablations), evaluates the run's best checkpoints three times:
// the summed score the tables report, the generated vector's score alone, and the streams' scores
// alone (`pnpm reproduce evaluate --run R --set scoreFusion=…`; weights untouched, nothing trained).
// Writes results/<dataset>-score-parts.md and .json. Run after `pnpm build`:
//   node apps/reproduce/scripts/score-parts.mjs [dataset]        (default scientific)
//   node apps/reproduce/scripts/score-parts.mjs [dataset] --render   (rewrites the .md from the .json)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dataset = process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 'scientific';
const mode = process.argv.includes('--render') ? 'render' : 'evaluate';
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const report = JSON.parse(readFileSync(`${root}results/${dataset}.json`, 'utf8'));
const FUSIONS = ['sum', 'generated', 'streams'];
const KEYS = ['ndcg@10', 'hr@10'];

const jsonFile = `${root}results/${dataset}-score-parts.json`;
const rows = mode === 'render' ? JSON.parse(readFileSync(jsonFile, 'utf8')).rows : [];
for (const row of mode === 'render' ? [] : report.rows.filter((entry) => entry.model === 'mm-fusion' || entry.model.startsWith('imecd'))) {
  const parts = {};
  for (const fusion of FUSIONS) {
    process.stderr.write(`${row.model}: scoreFusion=${fusion}\n`);
    const run = spawnSync(process.execPath, [cli, 'evaluate', '--run', row.runDir, '--set', `scoreFusion=${fusion}`, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (run.status !== 0) throw new Error(`evaluate ${row.runDir} failed:\n${run.stderr}`);
    const { valid, test } = JSON.parse(run.stdout);
    parts[fusion] = { valid, test };
  }
  rows.push({ model: row.model, runDir: row.runDir, parts });
}

const cell = (metric) => `${metric.mean.toFixed(4)} ± ${metric.std.toFixed(4)}`;
const lines = [
  `## ${dataset}: which part of the score ranks the items`,
  '',
  // The protocol line exactly as the CLI printed it for this dataset's tables.
  readFileSync(`${root}results/${dataset}.md`, 'utf8').split('\n').find((line) => line.startsWith('protocol: ')),
  '',
  `The best-validation checkpoints of the runs in results/${dataset}.json, mean ± std over seeds ${report.seeds.join(', ')}.`,
  "`sum` is what the tables report (the streams' dot products plus the generated vector's); `generated` ranks by the",
  "generated vector alone (for mm-fusion and imecd-no-cdg: the fused condition itself); `streams` by the encoders' own",
  'scores alone, without running the diffusion. Only scoring changes; the weights are the same.',
  '',
  ...['valid', 'test'].flatMap((split) => [
    `### ${split}`,
    '',
    `| model | ${FUSIONS.flatMap((fusion) => KEYS.map((key) => `${key} (${fusion})`)).join(' | ')} |`,
    `|---|${FUSIONS.flatMap(() => KEYS.map(() => '---')).join('|')}|`,
    ...rows.map((row) => `| ${row.model} | ${FUSIONS.flatMap((fusion) => KEYS.map((key) => cell(row.parts[fusion][split][key]))).join(' | ')} |`),
    '',
  ]),
  `Backend ${report.backend}. Command: \`node apps/reproduce/scripts/score-parts.mjs ${dataset}\` (after \`pnpm build\`).`,
  '',
];
writeFileSync(`${root}results/${dataset}-score-parts.md`, lines.join('\n'));
if (mode !== 'render') writeFileSync(jsonFile, `${JSON.stringify({ dataset, protocol: report.protocol, backend: report.backend, seeds: report.seeds, rows }, null, 2)}\n`);
process.stdout.write(lines.join('\n'));

