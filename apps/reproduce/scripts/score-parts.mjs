#!/usr/bin/env node
// Which part of IMECD's score ranks the items? For IMECD-family rows of results/<report>.json (the
// fusion baseline, IMECD and its ablations), evaluates each seed's best checkpoint once per part of
// its score (`pnpm reproduce evaluate --run R --seeds N --set …`; weights untouched, nothing trained):
//   first reading (generator 'separate'): scoreFusion = sum (what its tables report), generated, streams;
//   generative reading (generator 'approximator'): the whole score Σ_m x̂_0,m · r_m(i) (scoreStreams=all),
//   each stream's term alone (scoreStreams=id|text|image), and the whole score after one reverse step
//   (samplingSteps=1) instead of the default 8 (rows with a generator only).
// Each seed's parts are kept in its folder as seed-N/score-parts.json (committed with the run's record,
// see README "Run records in the repository"), so a table needs the checkpoints (git-ignored, gone with
// the machine that trained them) only for seeds not yet evaluated.
// Writes results/<report>-score-parts.md and .json. Run after `pnpm build`:
//   node apps/reproduce/scripts/score-parts.mjs [report] [--models a,b]   (default report: scientific)
//   node apps/reproduce/scripts/score-parts.mjs [report] --render         (rewrites the .md from the .json)
//   node apps/reproduce/scripts/score-parts.mjs --runs DIR                (only fills seed-N/score-parts.json of
//                                                                         every finished IMECD-family seed in DIR)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMECD_VARIANTS } from '@imecd/imecd';
import { aggregateRuns } from '@imecd/metrics';
import { localRunDir } from './report-runs.mjs';

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const valued = new Set(['--models', '--runs']);
const reportName = args.find((arg, index) => !arg.startsWith('--') && !valued.has(args[index - 1])) ?? 'scientific';
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const KEYS = ['ndcg@10', 'hr@10'];
const PARTS_FILE = 'score-parts.json';

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const isImecdFamily = (model) => model === 'mm-fusion' || model.startsWith('imecd');

/** The parts of a run's score, as (label, --set values) pairs, from its config. */
function partsOf(config) {
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

/**
 * One seed's parts {label: {sets, valid, test}}: read from seed-N/score-parts.json where every part is
 * there, else evaluated from the seed's checkpoint and written there.
 */
function seedParts(runDir, config, seed) {
  const seedDir = join(runDir, `seed-${seed}`);
  const file = join(seedDir, PARTS_FILE);
  const wanted = partsOf(config);
  const saved = existsSync(file) ? readJson(file).parts : {};
  if (wanted.every(([label]) => saved[label] !== undefined)) return saved;
  if (!existsSync(join(seedDir, 'checkpoint.bin')))
    throw new Error(`${seedDir} has no ${PARTS_FILE} with every part and no checkpoint to evaluate`);
  const parts = { ...saved };
  for (const [label, sets] of wanted.filter(([label]) => saved[label] === undefined)) {
    process.stderr.write(`${config.model} seed ${seed}: ${label}\n`);
    const run = spawnSync(
      process.execPath,
      [cli, 'evaluate', '--run', runDir, '--seeds', String(seed), ...sets.flatMap((set) => ['--set', set]), '--json'],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    if (run.status !== 0) throw new Error(`evaluate ${runDir} --seeds ${seed} failed:\n${run.stderr}`);
    const evaluation = JSON.parse(run.stdout);
    if (!evaluation.finished) throw new Error(`${seedDir} has not finished training`);
    parts[label] = { sets, bestEpoch: evaluation.seeds[0].bestEpoch, valid: evaluation.valid, test: evaluation.test };
    writeFileSync(file, `${JSON.stringify({ seed, backend: evaluation.backend, parts }, null, 2)}\n`); // after each part: a kill loses one
  }
  return parts;
}

if (args.includes('--runs')) {
  // Fill mode: every finished seed of every IMECD-family run under DIR; no report.
  const dir = option('--runs');
  for (const name of readdirSync(dir).sort()) {
    const runDir = join(dir, name);
    if (!existsSync(join(runDir, 'config.json'))) continue;
    const config = readJson(join(runDir, 'config.json'));
    if (!isImecdFamily(config.model)) continue;
    for (const seed of config.seeds)
      if (existsSync(join(runDir, `seed-${seed}`, 'metrics.json'))) seedParts(runDir, config, seed);
  }
  process.exit(0);
}

const report = readJson(`${root}results/${reportName}.json`);
const jsonFile = `${root}results/${reportName}-score-parts.json`;
const mode = args.includes('--render') ? 'render' : 'evaluate';
// --render rewrites the .md from the .json of an earlier evaluation, with the models it chose.
const saved = mode === 'render' ? readJson(jsonFile) : undefined;
const onlyModels = option('--models')?.split(',') ?? saved?.models;

const rows = saved?.rows ?? [];
const candidates = report.rows.filter((entry) => isImecdFamily(entry.model));
for (const row of mode === 'render'
  ? []
  : candidates.filter((entry) => onlyModels === undefined || onlyModels.includes(entry.model))) {
  const runDir = localRunDir(root, row.runDir);
  const config = readJson(join(runDir, 'config.json'));
  const perSeed = config.seeds.map((seed) => seedParts(runDir, config, seed));
  const parts = Object.fromEntries(
    partsOf(config).map(([label]) => [
      label,
      {
        valid: aggregateRuns(perSeed.map((seed) => seed[label].valid)),
        test: aggregateRuns(perSeed.map((seed) => seed[label].test)),
      },
    ]),
  );
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
