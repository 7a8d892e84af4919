#!/usr/bin/env node
// Microseconds per user of createRankingEvaluator's row pass (not a test; run after `pnpm build`):
// a synthetic 256 × 12,000 batch of seeded uniform scores, best of 7 addBatch calls.
//   node packages/metrics/scripts/bench-row-ranker.mjs [CHECKOUT]   (CHECKOUT: another build's root, to compare)
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(process.argv[2] ?? new URL('../../..', import.meta.url).pathname);
const { createRankingEvaluator } = await import(pathToFileURL(`${root}/packages/metrics/dist/index.js`).href);
const users = 256;
const items = 12_000;
let state = 12_345;
const scores = Float32Array.from({ length: users * items }, () => {
  state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
  return state / 2 ** 32;
});
const targets = Int32Array.from({ length: users }, (_, user) => (user * 37) % items);
let best = Number.POSITIVE_INFINITY;
for (let repeat = 0; repeat < 7; repeat++) {
  const evaluator = createRankingEvaluator({});
  const started = performance.now();
  evaluator.addBatch({ scores, numItems: items, targets });
  best = Math.min(best, performance.now() - started);
}
console.log(`${root}: ${((best * 1000) / users).toFixed(1)} µs per user (${items} items, best of 7)`);
