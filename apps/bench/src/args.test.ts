import { describe, expect, it } from 'vitest';
import { CASE_NAMES, parseBenchArgs } from './args';

describe('parseBenchArgs', () => {
  it('defaults to every case, the reference with apt-get allowed, and one torch thread per core', () => {
    expect(parseBenchArgs([], { cores: 2 })).toEqual({
      json: false,
      quick: false,
      cases: [...CASE_NAMES],
      torch: true,
      install: true,
      python: '/usr/bin/python3',
      threads: 2,
      keep: false,
      help: false,
    });
  });

  it('reads the flags', () => {
    const args = parseBenchArgs(
      ['--json', '--quick', '--no-torch', '--no-install', '--python', '/opt/py', '--threads', '1', '--keep'],
      { cores: 8 },
    );
    expect(args).toMatchObject({
      json: true,
      quick: true,
      torch: false,
      install: false,
      python: '/opt/py',
      threads: 1,
      keep: true,
    });
  });

  it('runs a subset of cases in the fixed order, whatever order they are named in', () => {
    expect(parseBenchArgs(['--cases', 'sasrec-eval, sasrec-epoch'], { cores: 2 }).cases).toEqual([
      'sasrec-epoch',
      'sasrec-eval',
    ]);
  });

  it('rejects unknown cases, bad thread counts and unknown flags', () => {
    expect(() => parseBenchArgs(['--cases', 'sasrec-step,nope'], { cores: 2 })).toThrow(/unknown case "nope"/);
    expect(() => parseBenchArgs(['--cases', ','], { cores: 2 })).toThrow(/at least one case/);
    expect(() => parseBenchArgs(['--threads', '0'], { cores: 2 })).toThrow(/--threads/);
    expect(() => parseBenchArgs(['--threads', '1.5'], { cores: 2 })).toThrow(/--threads/);
    expect(() => parseBenchArgs(['--bogus'], { cores: 2 })).toThrow();
  });
});
