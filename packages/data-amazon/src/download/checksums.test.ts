import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFormatError } from '@imecd/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readChecksums, verifyChecksums, writeChecksums } from './checksums';

const dir = mkdtempSync(join(tmpdir(), 'imecd-checksums-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const A = { name: 'a.json.gz', bytes: 3, sha256: 'a'.repeat(64) };
const B = { name: 'B.json.gz', bytes: 0, sha256: '0'.repeat(64) };

describe('checksums.json', () => {
  it('reads nothing from a folder without one', async () => {
    expect((await readChecksums(join(dir, 'nowhere'))).size).toBe(0);
  });

  it('writes entries sorted by name and reads them back', async () => {
    await writeChecksums(
      dir,
      new Map([
        [A.name, A],
        [B.name, B],
      ]),
    );
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

describe('verifyChecksums', () => {
  // SYNTHETIC files with their recorded sizes and sha256.
  const folderWith = (files: Record<string, string>) => {
    const folder = mkdtempSync(join(dir, 'verify-'));
    const entries = new Map(
      Object.entries(files).map(([name, content]) => {
        writeFileSync(join(folder, name), content);
        return [
          name,
          { name, bytes: Buffer.byteLength(content), sha256: createHash('sha256').update(content).digest('hex') },
        ];
      }),
    );
    return { folder, write: () => writeChecksums(folder, entries) };
  };

  it('passes intact files and a folder without a manifest', async () => {
    const { folder, write } = folderWith({ 'a.txt': '1 2 3\n', 'b.txt': 'x\n' });
    expect(await verifyChecksums(folder)).toBe(0);
    await write();
    expect(await verifyChecksums(folder)).toBe(2);
  });

  it('names the first file that is cut short, changed or missing', async () => {
    const { folder, write } = folderWith({ 'a.txt': '1 2 3\n4 5 6\n', 'b.txt': 'x\n' });
    await write();
    writeFileSync(join(folder, 'a.txt'), '1 2 3\n4 5');
    await expect(verifyChecksums(folder)).rejects.toMatchObject({
      file: join(folder, 'a.txt'),
      reason: expect.stringMatching(/^9 bytes, but .*checksums\.json records 12: the file was cut short/),
    });
    writeFileSync(join(folder, 'a.txt'), '1 2 3\n4 5 7\n'); // same size, other bytes
    await expect(verifyChecksums(folder)).rejects.toThrow(/a\.txt: sha256 [0-9a-f]{64} ≠ [0-9a-f]{64} recorded in/);
    writeFileSync(join(folder, 'a.txt'), '1 2 3\n4 5 6\n');
    rmSync(join(folder, 'b.txt'));
    await expect(verifyChecksums(folder)).rejects.toMatchObject({
      file: join(folder, 'b.txt'),
      reason: expect.stringMatching(/listed in .* but missing \(ENOENT\)/),
    });
  });
});
