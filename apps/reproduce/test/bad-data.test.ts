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
});
