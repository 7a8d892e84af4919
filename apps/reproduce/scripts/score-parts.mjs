#!/usr/bin/env node
// Which part of IMECD's score ranks the items? For IMECD-family rows of results/<report>.json (the
// fusion baseline, IMECD and its ablations), evaluates each run's best checkpoints once per part of
// its score (`pnpm reproduce evaluate --run R --set …`; weights untouched, nothing trained):
//   first reading (generator 'separate'): scoreFusion = sum (what its tables report), generated, streams;
//   generative reading (generator 'approximator'): the whole score Σ_m x̂_0,m · r_m(i) (scoreStreams=all),
//   each stream's term alone (scoreStreams=id|text|image), and the whole score after one reverse step
//   (samplingSteps=1) instead of the default 8 (rows with a generator only).
// Writes results/<report>-score-parts.md and .json. Run after `pnpm build`:
//   node apps/reproduce/scripts/score-parts.mjs [report] [--models a,b]   (default report: scientific)
//   node apps/reproduce/scripts/score-parts.mjs [report] --render         (rewrites the .md from the .json)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IMECD_VARIANTS } from '@imecd/imecd';

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const reportName = args.find((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--models') ?? 'scientific';
const mode = args.includes('--render') ? 'render' : 'evaluate';
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const report = JSON.parse(readFileSync(`${root}results/${reportName}.json`, 'utf8'));
const jsonFile = `${root}results/${reportName}-score-parts.json`;
// --render rewrites the .md from the .json of an earlier evaluation, with the models it chose.
const saved = mode === 'render' ? JSON.parse(readFileSync(jsonFile, 'utf8')) : undefined;
const onlyModels = option('--models')?.split(',') ?? saved?.models;
const KEYS = ['ndcg@10', 'hr@10'];

/** The parts of a run's score, as (label, --set values) pairs, from its config. */
function partsOf(runDir) {
  const config = JSON.parse(readFileSync(`${runDir}/config.json`, 'utf8'));
  const generator = config.hyperparameters.generator ?? 'separate'; // runs made before `generator` was recorded are the first reading
  if (generator === 'separate')
    return ['sum', 'generated', 'streams'].map((fusion) => [fusion, [`scoreFusion=${fusion}`]]);
  const streams = ['id', ...['text', 'image'].filter((modality) => config.features?.[modality] !== undefined)];
  const hasGenerator = IMECD_VARIANTS[config.model].diffusion;
  return [
    ['all', ['scoreStreams=all']],
    ...streams.map((stream) => [`${stream} only`, [`scoreStreams=${stream}`]]),
    ...(hasGenerator ? [['all, 1 step', ['samplingSteps=1']]] : []),
  ];
}

const rows = saved?.rows ?? [];
const candidates = report.rows.filter((entry) => entry.model === 'mm-fusion' || entry.model.startsWith('imecd'));
for (const row of mode === 'render'
  ? []
  : candidates.filter((entry) => onlyModels === undefined || onlyModels.includes(entry.model))) {
  const parts = {};
  for (const [label, sets] of partsOf(row.runDir)) {
    process.stderr.write(`${row.model}: ${label}\n`);
    const run = spawnSync(
      process.execPath,
      [cli, 'evaluate', '--run', row.runDir, ...sets.flatMap((set) => ['--set', set]), '--json'],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    if (run.status !== 0) throw new Error(`evaluate ${row.runDir} failed:\n${run.stderr}`);
    const { valid, test } = JSON.parse(run.stdout);
    parts[label] = { valid, test };
  }
  rows.push({ model: row.model, runDir: row.runDir, parts });
}

const cell = (metric) => (metric === undefined ? '–' : `${metric.mean.toFixed(4)} ± ${metric.std.toFixed(4)}`);
const labels = [...new Set(rows.flatMap((row) => Object.keys(row.parts)))];
const firstReading = labels.includes('sum');
const lines = [
  `## ${report.dataset}: which part of the score ranks the items`,
  '',
  // The protocol line exactly as the CLI printed it for this report's tables.
  readFileSync(`${root}results/${reportName}.md`, 'utf8')
    .split('\n')
    .find((line) => line.startsWith('protocol: ')),
  '',
  `The best-validation checkpoints of the runs in results/${reportName}.json, mean ± std over seeds ${report.seeds.join(', ')}.`,
  ...(firstReading
    ? [
        "`sum` is what the tables report (the streams' dot products plus the generated vector's); `generated` ranks by the",
        "generated vector alone (for mm-fusion and imecd-no-cdg: the fused condition itself); `streams` by the encoders' own",
        'scores alone, without running the diffusion. Only scoring changes; the weights are the same.',
      ]
    : [
        '`all` is what the tables report: Σ_m x̂_0,m · r_m(i), the generation after 8 reverse steps (DDIM, x_T seeded by',
        "the history) scored against each stream's item table; `id only` / `text only` / `image only` keep one stream's",
        'term x̂_0,m · r_m(i) (the three add up to `all`); `all, 1 step` scores x̂_0 from x_T in one step. Only scoring',
        'changes; the weights are the same.',
      ]),
  '',
  ...['valid', 'test'].flatMap((split) => [
    `### ${split}`,
    '',
    `| model | ${labels.flatMap((label) => KEYS.map((key) => `${key} (${label})`)).join(' | ')} |`,
    `|---|${labels.flatMap(() => KEYS.map(() => '---')).join('|')}|`,
    ...rows.map(
      (row) =>
        `| ${row.model} | ${labels.flatMap((label) => KEYS.map((key) => cell(row.parts[label]?.[split][key]))).join(' | ')} |`,
    ),
    '',
  ]),
  `Backend ${report.backend}. Command: \`node apps/reproduce/scripts/score-parts.mjs ${reportName}${onlyModels ? ` --models ${onlyModels.join(',')}` : ''}\` (after \`pnpm build\`).`,
  '',
];
writeFileSync(`${root}results/${reportName}-score-parts.md`, lines.join('\n'));
if (mode !== 'render')
  writeFileSync(
    jsonFile,
    `${JSON.stringify({ dataset: report.dataset, protocol: report.protocol, backend: report.backend, seeds: report.seeds, ...(onlyModels ? { models: onlyModels } : {}), rows }, null, 2)}\n`,
  );
process.stdout.write(lines.join('\n'));
