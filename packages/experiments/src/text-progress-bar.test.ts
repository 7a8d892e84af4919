import { describe, expect, it } from 'vitest';
import { createTextProgressBar, formatBytes, formatDuration } from './text-progress-bar';

describe('createTextProgressBar', () => {
  const clock = (times: number[]) => () => times.shift() ?? 0;

  it('writes plain lines at most every 10 s off a terminal, and the final state on finish', () => {
    const lines: string[] = [];
    // start 0; updates at 1 s (drawn: the first), 5 s (skipped), 12 s (drawn); finish at 20 s.
    const bar = createTextProgressBar({
      write: (text) => lines.push(text),
      now: clock([0, 1000, 1000, 5000, 12000, 12000, 20000]),
    });
    bar.update({ label: 'epoch 1', done: 1, total: 4 });
    bar.update({ label: 'epoch 1', done: 2, total: 4 });
    bar.update({ label: 'epoch 1', done: 3, total: 4, detail: 'loss 6.2' });
    bar.finish({ label: 'epoch 1', done: 4, total: 4 });
    expect(lines).toEqual(['epoch 1 1/4 1.0s eta 3.0s\n', 'epoch 1 3/4 loss 6.2 12s eta 4.0s\n', 'epoch 1 4/4 20s\n']);
  });

  it('redraws one line with a bar on a terminal, in bytes when asked', () => {
    const out: string[] = [];
    const bar = createTextProgressBar({
      write: (text) => out.push(text),
      isTTY: true,
      columns: 60,
      now: clock([0, 500, 500]),
    });
    bar.update({ label: 'file', done: 512, total: 2048, unit: 'bytes' });
    expect(out[0]!.startsWith('\r\u001b[2K[')).toBe(true); // clear the line, then the bar
    expect(out[0]).toMatch(/\[#+-+\] file 512 B\/2\.0 KiB 0\.5s eta 1\.5s$/);
    bar.finish();
    expect(out[1]).toMatch(/\n$/);
  });
});

describe('formatBytes and formatDuration', () => {
  it('pick the unit', () => {
    expect([formatBytes(10), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual(['10 B', '1.5 KiB', '5.0 GiB']);
    expect([formatDuration(3.21), formatDuration(42), formatDuration(125), formatDuration(7300)]).toEqual([
      '3.2s',
      '42s',
      '2m05s',
      '2h01m',
    ]);
    expect(formatDuration(Number.NaN)).toBe('?');
  });
});
