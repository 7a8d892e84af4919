import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTrainingCurve } from './training-curves';

// SYNTHETIC seed histories, in the layout trainRuns writes.
let runDir: string;
beforeEach(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'imecd-curves-'));
});
afterEach(async () => {
  await rm(runDir, { recursive: true, force: true });
});

async function writeHistory(seed: number, lines: string[]) {
  await mkdir(join(runDir, `seed-${seed}`), { recursive: true });
  await writeFile(join(runDir, `seed-${seed}`, 'history.ndjson'), `${lines.join('\n')}\n`);
}
const line = (epoch: number, ndcg: number) => JSON.stringify({ epoch, valid: { 'ndcg@10': ndcg } });

describe('readTrainingCurve', () => {
  it('averages each epoch over the seeds that reached it, and gives none without any history', async () => {
    await writeHistory(1, [line(1, 0.1), line(2, 0.3)]);
    await writeHistory(2, [line(1, 0.2)]);
    const curve = await readTrainingCurve('imecd', runDir, [1, 2, 3]);
    expect(curve?.model).toBe('imecd');
    expect(curve?.values[0]).toBeCloseTo(0.15, 12);
    expect(curve?.values[1]).toBeCloseTo(0.3, 12);
    expect(await readTrainingCurve('pop', runDir, [7])).toBeUndefined();
  });

  it('names the file and line of a history line that is not a record', async () => {
    await writeHistory(1, [line(1, 0.1), '{"epoch": 2}']);
    await expect(readTrainingCurve('imecd', runDir, [1])).rejects.toThrow(/seed-1[/\\]history\.ndjson:2: expected/);
  });
});
