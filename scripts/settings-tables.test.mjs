import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { updateTables, withTable } from './settings-tables.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
let dir;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('settings tables', () => {
  it("match every schema in this repository's READMEs", async () => {
    expect(await updateTables({ check: true })).toEqual([]);
  });

  it('are reported stale, then rewritten, when a README drifts from its schema', async () => {
    dir = mkdtempSync(join(tmpdir(), 'settings-tables-'));
    mkdirSync(join(dir, 'packages/x/dist'), { recursive: true });
    cpSync(join(repoRoot, 'packages/core/dist'), join(dir, 'core-dist'), { recursive: true });
    writeFileSync(
      join(dir, 'packages/x/dist/index.js'),
      `import { defineSettings } from '${join(dir, 'core-dist/index.js')}';\nexport const S = defineSettings({ k: { kind: 'integer', default: 3, min: 1, doc: 'a k' } });\n`,
    );
    writeFileSync(
      join(dir, 'packages/x/README.md'),
      '# x\n<!-- settings-table x -->\n| old |\n<!-- /settings-table -->\n',
    );
    const tables = [{ readme: 'packages/x/README.md', name: 'x', module: 'packages/x/dist/index.js', schema: 'S' }];
    expect(await updateTables({ check: true, repoRoot: dir, tables })).toEqual(['packages/x/README.md']);
    expect(readFileSync(join(dir, 'packages/x/README.md'), 'utf8')).toContain('| old |');
    expect(await updateTables({ check: false, repoRoot: dir, tables })).toEqual(['packages/x/README.md']);
    expect(readFileSync(join(dir, 'packages/x/README.md'), 'utf8')).toContain('| `k` | integer ≥ 1 | `3` | a k |');
    expect(await updateTables({ check: true, repoRoot: dir, tables })).toEqual([]);
  });

  it('name the README whose markers are missing', () => {
    expect(() => withTable('# no markers\n', 'imecd', '| t |', 'packages/imecd/README.md')).toThrow(
      'packages/imecd/README.md: no "<!-- settings-table imecd -->" … "<!-- /settings-table -->" markers for the imecd table',
    );
  });
});
