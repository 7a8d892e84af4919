// Where in the ranking do the multimodal models differ from SASRec? An analysis of a finished table's
// test ranks (the seeds' test-ranks.json of the runs in results/<dataset>.json; nothing is trained or
// evaluated again, and nothing here selects a model): test users are split by whether their target is a
// near-duplicate of their last history item — the two share the first PREFIX codes of some modality's
// residual quantizer (default 3 of 4), e.g. one product in two sizes — and each row's metrics are
// recomputed per group, mean over seeds.
//
//   node apps/reproduce/scripts/near-duplicates.mjs DATASET [--prefix N]   (after pnpm build)
//
// Writes results/<dataset>-near-duplicates.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset, splitLeaveOneOut } from '@imecd/data-amazon';
import { metricsFromRanks } from '@imecd/metrics';
import { localRunDir } from './report-runs.mjs';

const args = process.argv.slice(2);
const name = args.find((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--prefix') ?? 'instruments-mm';
const prefix = Number(args.includes('--prefix') ? args[args.indexOf('--prefix') + 1] : 3);
const root = new URL('../../../', import.meta.url).pathname;
const datasetsDir = process.env.IMECD_DATASETS_DIR ?? `${root}datasets`;
const report = JSON.parse(readFileSync(`${root}results/${name}.json`, 'utf8'));
const dataset = await loadDataset(`${datasetsDir}/${name}`, { name });
const modalities = Object.entries(dataset.itemCodes ?? {});
if (modalities.length === 0) throw new Error(`${name} has no item codes to find near-duplicates with`);
if (!(Number.isInteger(prefix) && prefix >= 1)) throw new Error(`--prefix expects a whole number ≥ 1, got ${prefix}`);
const { histories, targets } = splitLeaveOneOut(dataset, { maxHistory: report.protocol.maxHistory }).test;

/** Whether items a and b both have `codes` and share their first `prefix` levels. */
function samePrefix({ codes, levels, mask }, a, b) {
  if (!mask[a] || !mask[b]) return false;
  for (let level = 0; level < Math.min(prefix, levels); level++)
    if (codes[a * levels + level] !== codes[b * levels + level]) return false;
  return true;
}
// [users]: 1 where the target shares a code prefix with the last history item in some modality.
const near = targets.map((target, user) => {
  const last = histories[user][histories[user].length - 1];
  return modalities.some(([, codes]) => samePrefix(codes, target, last)) ? 1 : 0;
});
// [group label, its test users' indices], split once for every row.
const users = [...near.keys()];
const groups = [
  ['near-duplicate of the last item', users.filter((user) => near[user] === 1)],
  ['the rest', users.filter((user) => near[user] === 0)],
];
const nearCount = groups[0][1].length;
const KEYS = ['hr@1', 'hr@5', 'hr@10', 'hr@20', 'ndcg@10', 'mrr@20'];

const rows = [];
for (const row of report.rows) {
  const perSeed = report.seeds.map((seed) =>
    JSON.parse(readFileSync(join(localRunDir(root, row.runDir), `seed-${seed}`, 'test-ranks.json'), 'utf8')),
  );
  if (perSeed[0].length !== targets.length)
    throw new Error(`${row.runDir}: ${perSeed[0].length} test ranks for ${targets.length} test users`);
  for (const [group, members] of groups) {
    const metrics = perSeed.map((ranks) =>
      metricsFromRanks(
        members.map((user) => ranks[user]),
        [1, 5, 10, 20],
      ),
    );
    const mean = Object.fromEntries(
      KEYS.map((key) => [key, metrics.reduce((sum, m) => sum + m[key], 0) / metrics.length]),
    );
    rows.push({ model: row.model, group, users: members.length, ...mean });
  }
}

const share = nearCount / near.length;
const lines = [
  `## ${name}: test metrics for targets that are near-duplicates of the user's last item, and for the rest`,
  '',
  `From the test ranks of the runs in results/${name}.json (mean over seeds ${report.seeds.join(', ')}); nothing trained or evaluated again. ` +
    `A target is a near-duplicate when it shares the first ${prefix} codes of its ${modalities.map(([modality]) => modality).join(' or ')} ` +
    `codes with the user's last history item: ${nearCount} of ${near.length} test users (${(share * 100).toFixed(1)} %).`,
  '',
  `| model | group | users | ${KEYS.join(' | ')} |`,
  `|---|---|---|${KEYS.map(() => '---').join('|')}|`,
  ...rows.map(
    (row) => `| ${row.model} | ${row.group} | ${row.users} | ${KEYS.map((key) => row[key].toFixed(4)).join(' | ')} |`,
  ),
  '',
  `Command: \`node apps/reproduce/scripts/near-duplicates.mjs ${name}${prefix === 3 ? '' : ` --prefix ${prefix}`}\``,
  '',
];
const file = `${root}results/${name}-near-duplicates.md`;
writeFileSync(file, lines.join('\n'));
console.log(lines.join('\n'));
console.error(`wrote ${file}`);
