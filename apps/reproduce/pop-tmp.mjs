import { loadDataset } from '@imecd/data-amazon';
import { createRankingEvaluator } from '@imecd/metrics';
const ds = await loadDataset('datasets/toys', { name: 'toys' });
const N = ds.numItems;
const variants = {
  'train only (seq[:-2])': (s) => s.slice(0, -2),
  'train+valid (seq[:-1])': (s) => s.slice(0, -1),
  'all (seq)': (s) => s,
};
for (const [name, part] of Object.entries(variants)) {
  const counts = new Float32Array(N + 1);
  for (const s of ds.sequences) for (const i of part(s)) counts[i]++;
  for (const ties of ['expected', 'optimistic', 'strict']) {
    const ev = createRankingEvaluator({ ks: [5, 10, 20], ties, excludeItems: [0] });
    const B = 512;
    const scores = new Float32Array(B * (N + 1));
    for (let r = 0; r < B; r++) scores.set(counts, r * (N + 1));
    for (let start = 0; start < ds.numUsers; start += B) {
      const users = ds.sequences.slice(start, start + B);
      ev.addBatch({ scores: scores.subarray(0, users.length * (N + 1)), numItems: N + 1, targets: Int32Array.from(users.map((s) => s[s.length - 1])) });
    }
    const m = ev.result().metrics;
    console.log(name.padEnd(24), ties.padEnd(10), ['hr@5', 'ndcg@5', 'hr@10', 'ndcg@10', 'hr@20', 'ndcg@20'].map((k) => m[k].toFixed(4)).join(' '));
  }
}
