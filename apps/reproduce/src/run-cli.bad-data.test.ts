import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from './cli-io.test-helper';

function folderWith(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'imecd-bad-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('reproduce with bad input', () => {
  it('names file and line of a malformed sequential.txt and exits 1 without a stack trace', async () => {
    const dir = folderWith({ 'sequential.txt': '1 1 2 3 4 5\n2 1 2 x 4 5\n' });
    const { code, stderr } = await runCaptured(['info', '--data-dir', dir]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(dir, 'sequential.txt')}:2`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a dataset that is empty after the 5-core', async () => {
    const dir = folderWith({ 'sequential.txt': '1 1 2\n2 3 4\n' });
    const { code, stderr } = await runCaptured(['info', '--data-dir', dir]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/empty|no user|left/i);
  });

  it('rejects a folder with no known layout', async () => {
    const dir = folderWith({ 'notes.txt': 'hello' });
    const { code, stderr } = await runCaptured(['info', '--data-dir', dir]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/sequential\.txt/);
  });

  it('rejects a missing --data-dir (exit 2)', async () => {
    const { code, stderr } = await runCaptured(['info', '--data-dir', '/nonexistent/imecd']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no such folder/);
  });

  it('with --json, also prints the failure as one JSON object on stdout: code, message, file and line', async () => {
    const dir = folderWith({ 'sequential.txt': '1 1 2 3 4 5\n2 1 2 x 4 5\n' });
    const { code, stdout, stderr } = await runCaptured(['info', '--data-dir', dir, '--json']);
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(dir, 'sequential.txt')}:2`);
    const { error } = JSON.parse(stdout);
    expect(error).toMatchObject({ code: 'DATA_FORMAT', file: join(dir, 'sequential.txt'), line: 2 });
    expect(error.message).toContain(`${join(dir, 'sequential.txt')}:2: `);
    const usage = await runCaptured(['info', '--data-dir', '/nonexistent/imecd', '--json']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toEqual({
      error: { code: 'USAGE', message: expect.stringMatching(/no such folder/) },
    });
    const plain = await runCaptured(['info', '--data-dir', dir]);
    expect(plain.stdout).toBe(''); // without --json, stdout stays empty on failure
  });

  it('lists the models and the shipped datasets in --help', async () => {
    const { code, stdout } = await runCaptured(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Models: pop, sasrec, .*imecd/);
    for (const name of ['scientific', 'toys', 'instruments', 'games'])
      expect(stdout).toMatch(new RegExp(`^  ${name} +Amazon`, 'm'));
  });
});
