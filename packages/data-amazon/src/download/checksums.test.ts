import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFormatError } from '@imecd/core';
import { readChecksums, writeChecksums } from './checksums';

const dir = mkdtempSync(join(tmpdir(), 'imecd-checksums-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const A = { name: 'a.json.gz', bytes: 3, sha256: 'a'.repeat(64) };
const B = { name: 'B.json.gz', bytes: 0, sha256: '0'.repeat(64) };

describe('checksums.json', () => {
  it('reads nothing from a folder without one', async () => {
    expect((await readChecksums(join(dir, 'nowhere'))).size).toBe(0);
  });

  it('writes entries sorted by name and reads them back', async () => {
    await writeChecksums(dir, new Map([[A.name, A], [B.name, B]]));
    expect(readFileSync(join(dir, 'checksums.json'), 'utf8')).toBe(`${JSON.stringify({ files: [B, A] }, null, 2)}\n`);
    expect([...(await readChecksums(dir)).values()]).toEqual([B, A]);
  });

  it('rejects a malformed manifest', async () => {
    const broken = mkdtempSync(join(dir, 'broken-'));
    writeFileSync(join(broken, 'checksums.json'), '{"files": [{"name": "x", "bytes": 1, "sha256": "XYZ"}]}');
    await expect(readChecksums(broken)).rejects.toThrow(DataFormatError);
    await expect(readChecksums(broken)).rejects.toThrow(/files\[0\] needs/);
    writeFileSync(join(broken, 'checksums.json'), '{"files": ');
    await expect(readChecksums(broken)).rejects.toThrow(/malformed JSON/);
  });
});
