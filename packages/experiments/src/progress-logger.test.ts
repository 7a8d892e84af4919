import { describe, expect, it } from 'vitest';
import { type BatchProgressState, createProgressLogger } from './progress-logger';

describe('createProgressLogger', () => {
  it('writes a line per event as the CLI shows them, draws batches on the bar it is given, and tags a seed process’s other lines', () => {
    let text = '';
    const bars: string[] = [];
    const log = createProgressLogger({
      write: (chunk) => {
        text += chunk;
      },
      progressBar: () => ({
        update: (state: BatchProgressState) => bars.push(`update ${state.label} ${state.done}/${state.total}`),
        finish: (state: BatchProgressState) => bars.push(`finish ${state.label} ${state.detail}`),
      }),
    });
    log({ type: 'model-start', index: 0, total: 2, model: 'sasrec' });
    log({ type: 'run-reused', runDir: '/runs/a' });
    log({
      type: 'seed-resumed',
      seed: 1,
      epochsDone: 2,
      partialEpoch: { epoch: 3, batchesDone: 4, lossSum: 1, trainSeconds: 1 },
    });
    log({ type: 'training', seed: 1, event: { type: 'epoch-start', epoch: 3, epochs: 5, batches: 6 } });
    log({ type: 'training', seed: 1, event: { type: 'batch-end', epoch: 3, batch: 5, batches: 6, loss: 1.5 } });
    const record = { epoch: 3, loss: 1.25, valid: { 'ndcg@10': 0.1, 'hr@10': 0.2 }, seconds: 2 };
    log({
      type: 'training',
      seed: 1,
      event: { type: 'epoch-end', record, batches: 6, improved: false, bestEpoch: 2, bestScore: 0.2 },
    });
    log({ type: 'seed-process-output', seed: 2, line: 'seed 2 epoch 1 1/6' });
    log({ type: 'seed-process-output', seed: 2, line: '  valid ndcg@10 0.1000' });
    log({ type: 'seed-skipped', seed: 3 });
    expect(text).toBe(
      [
        '[1/2] sasrec',
        'reusing /runs/a (same model, dataset, seeds, settings and backend)',
        'seed 1: resuming in epoch 3 after batch 4',
        '  valid ndcg@10 0.1000 hr@10 0.2000 (best: epoch 2) · 2.0s',
        'seed 2 epoch 1 1/6',
        '[seed 2]   valid ndcg@10 0.1000',
        'seed 3: no checkpoint yet, skipped',
        '',
      ].join('\n'),
    );
    expect(bars).toEqual(['update seed 1 epoch 3 5/6', 'finish seed 1 epoch 3 loss 1.2500']);
  });
});
