// Do the item signals rank anything by themselves? A training-free check on validation (issue 15): each
// user's items are scored by how alike they are to the user's last item under one signal, ties broken by
// training popularity, and ranked over all items by the protocol (leave-one-out, full ranking, ties at
// expected rank). Pop (popularity alone) is the floor; what a signal adds above it is what it carries
// about the next item. Not a test and not a model of the tables: the test set is never read.
//
//   node apps/reproduce/scripts/feature-neighbours.mjs DATASET [--json]    (after pnpm build)
//
// Signals: each modality's codes (similarity = the length of the shared code prefix, 0..levels, since a
// residual quantizer's later codes refine the earlier ones; and the number of levels with the same code)
// and each dense feature matrix (cosine similarity, through tfjs: the rows are L2-normalised first).
import { selectBackend } from '@imecd/backend';
import { loadDataset, splitLeaveOneOut } from '@imecd/data-amazon';
import { createRankingEvaluator } from '@imecd/metrics';
import * as tf from '@tensorflow/tfjs-core';

const [name = 'instruments-mm', ...flags] = process.argv.slice(2);
const json = flags.includes('--json');
const BATCH = 256;
const datasetsDir = process.env.IMECD_DATASETS_DIR ?? new URL('../../../datasets', import.meta.url).pathname;
const dataset = await loadDataset(`${datasetsDir}/${name}`, { name });
const split = splitLeaveOneOut(dataset, { maxHistory: 50 });
const { histories, targets } = split.valid;
const columns = dataset.numItems + 1;

// Popularity over the training sequences only (every item before each user's validation target).
const counts = new Float64Array(columns);
for (const sequence of split.train.sequences) for (const item of sequence) counts[item] += 1;
const maxCount = Math.max(...counts);
// Below any step of a similarity (prefix lengths are integers; cosines of float32 rows differ by far more
// than 1e-9 unless equal), so popularity only orders items a signal leaves tied.
const popularity = Float64Array.from(counts, (count) => (count / (maxCount + 1)) * 1e-9);

function evaluate(scoreBatch) {
  const evaluator = createRankingEvaluator({ ks: [10, 20], excludeItems: [0] });
  for (let start = 0; start < targets.length; start += BATCH) {
    const rows = histories.slice(start, start + BATCH);
    const scores = scoreBatch(rows); // [rows, columns], Float64Array
    evaluator.addBatch({ scores, numItems: columns, targets: targets.subarray(start, start + rows.length) });
  }
  const { metrics } = evaluator.result();
  return { 'ndcg@10': metrics['ndcg@10'], 'hr@10': metrics['hr@10'], 'ndcg@20': metrics['ndcg@20'] };
}

const lastItem = (history) => history[history.length - 1] ?? 0;

/** Pop: the same scores for every user. */
function popScores(rows) {
  const scores = new Float64Array(rows.length * columns);
  for (let row = 0; row < rows.length; row++) scores.set(popularity, row * columns);
  return scores;
}

/**
 * Codes alike with the last item (0 when either has no codes), plus the popularity tie-break: the
 * length of the shared prefix (`prefix`), or how many levels hold the same code (`common`: the dot
 * product of the two levels-hot vectors, which is what a linear map of the codes, as IMECD's
 * experts read them, can tell apart).
 */
function codeScores(codes, similarity) {
  const { levels, mask } = codes;
  return (rows) => {
    const scores = popScores(rows);
    for (let row = 0; row < rows.length; row++) {
      const last = lastItem(rows[row]);
      if (mask[last] !== 1) continue;
      const offset = row * columns;
      for (let item = 1; item < columns; item++) {
        if (mask[item] !== 1) continue;
        let shared = 0;
        if (similarity === 'prefix') {
          while (shared < levels && codes.codes[item * levels + shared] === codes.codes[last * levels + shared])
            shared++;
        } else {
          for (let level = 0; level < levels; level++)
            shared += +(codes.codes[item * levels + level] === codes.codes[last * levels + level]);
        }
        scores[offset + item] += shared;
      }
    }
    return scores;
  };
}

/** Cosine similarity with the last item's row (0 for missing rows), plus the popularity tie-break. */
function denseScores(matrix) {
  const [unitRows, unitColumns] = tf.tidy(() => {
    const values = tf.tensor2d(matrix.values, [columns, matrix.dim]);
    const rows = tf.div(values, tf.maximum(tf.norm(values, 2, 1, true), 1e-12)); // [columns, dim]
    return [rows, tf.transpose(rows)]; // and [dim, columns]
  });
  return (rows) => {
    const similarity = tf.tidy(() => {
      const last = tf.tensor1d(Int32Array.from(rows, lastItem), 'int32');
      return tf.matMul(tf.gather(unitRows, last), unitColumns); // [rows, dim]·[dim, columns]
    });
    const values = similarity.dataSync();
    similarity.dispose();
    const scores = popScores(rows);
    for (let index = 0; index < values.length; index++) scores[index] += values[index];
    return scores;
  };
}

await selectBackend();
const results = [{ signal: 'pop (popularity alone)', ...evaluate(popScores) }];
for (const [modality, codes] of Object.entries(dataset.itemCodes ?? {})) {
  const covered = codes.mask.reduce((sum, value) => sum + value, 0);
  for (const similarity of ['prefix', 'common']) {
    const how = similarity === 'prefix' ? 'shared prefix' : 'codes in common';
    results.push({
      signal: `${modality} codes, ${how} (${covered} of ${dataset.numItems} items)`,
      ...evaluate(codeScores(codes, similarity)),
    });
  }
}
for (const [modality, matrix] of Object.entries(dataset.features)) {
  const covered = matrix.mask.reduce((sum, value) => sum + value, 0);
  results.push({
    signal: `${modality} features, ${matrix.dim}-d (${covered} of ${dataset.numItems} items)`,
    ...evaluate(denseScores(matrix)),
  });
}

if (json) {
  console.log(JSON.stringify({ dataset: name, users: targets.length, items: dataset.numItems, results }));
} else {
  console.log(
    `${name}: validation (${targets.length} users, full ranking over ${dataset.numItems} items, ties at expected rank); ` +
      'score = similarity to the last history item, ties by training popularity',
  );
  console.log('| signal | valid ndcg@10 | valid hr@10 | valid ndcg@20 |\n|---|---|---|---|');
  for (const row of results)
    console.log(
      `| ${row.signal} | ${row['ndcg@10'].toFixed(4)} | ${row['hr@10'].toFixed(4)} | ${row['ndcg@20'].toFixed(4)} |`,
    );
}
