import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkLayers, formatViolation, loadLayers } from './check-layers.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const script = fileURLToPath(new URL('./check-layers.mjs', import.meta.url));
const layersFile = fileURLToPath(new URL('./layers.json', import.meta.url));

describe('check-layers on this repository', () => {
  it('finds no violation', () => {
    const result = checkLayers(repoRoot);
    expect(result.violations.map(formatViolation)).toEqual([]);
    expect(result.packages).toBeGreaterThanOrEqual(13);
    expect(result.imports).toBeGreaterThan(0);
  });

  it("draws in docs/architecture.md's layer diagram exactly the edges of scripts/layers.json", () => {
    const doc = readFileSync(join(repoRoot, 'docs/architecture.md'), 'utf8');
    const diagram = /## Layers[^\n]*\n+```mermaid\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(diagram).toBeDefined();
    const names = new Map(); // mermaid node id → package name
    for (const [, id, label] of diagram.matchAll(/^\s*(\w+)\["([^"<]+)/gm)) {
      const name = label.startsWith('apps/')
        ? JSON.parse(readFileSync(join(repoRoot, label.trim(), 'package.json'), 'utf8')).name
        : label.trim();
      names.set(id, name);
    }
    const drawn = [];
    for (const line of diagram.split('\n').filter((text) => text.includes('-->'))) {
      const sides = line.split('-->').map((side) => side.split('&').map((id) => names.get(id.trim()) ?? id.trim()));
      for (let index = 0; index + 1 < sides.length; index++) {
        for (const from of sides[index]) for (const to of sides[index + 1]) drawn.push(`${to} → ${from}`);
      }
    }
    const declared = Object.entries(loadLayers(layersFile).edges).flatMap(([name, uses]) =>
      uses.map((used) => `${name} → ${used}`),
    );
    expect(drawn.sort()).toEqual(declared.sort());
    expect([...names.values()].sort()).toEqual(Object.keys(loadLayers(layersFile).edges).sort());
  });
});

describe('check-layers on a fake workspace', () => {
  let root;
  const write = (path, content) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  };
  const workspacePackage = (dir, name, sections = {}) =>
    write(`${dir}/package.json`, { name, version: '0.0.0', ...sections });
  const messages = () => checkLayers(root).violations.map(formatViolation);

  beforeEach(() => {
    // A clean workspace in the repository's shape, with the real layers: core ← metrics, core ← nn, and an app.
    root = mkdtempSync(join(tmpdir(), 'check-layers-'));
    write('pnpm-workspace.yaml', 'packages:\n  - packages/*\n  - apps/*\nonlyBuiltDependencies:\n  - esbuild\n');
    mkdirSync(join(root, 'scripts'));
    copyFileSync(layersFile, join(root, 'scripts/layers.json'));
    workspacePackage('packages/core', '@imecd/core');
    write('packages/core/src/index.ts', "export const core = 1;\nexport * from './errors';\n");
    write('packages/core/src/errors.ts', 'export class ImecdError extends Error {}\n');
    workspacePackage('packages/metrics', '@imecd/metrics', { dependencies: { '@imecd/core': 'workspace:^' } });
    write('packages/metrics/src/index.ts', "import { core } from '@imecd/core';\nexport const metrics = core + 1;\n");
    workspacePackage('packages/nn', '@imecd/nn', {
      dependencies: { '@imecd/core': 'workspace:^' },
      peerDependencies: { '@tensorflow/tfjs-core': '^4.22.0' },
      devDependencies: { '@tensorflow/tfjs': '4.22.0', '@tensorflow/tfjs-backend-wasm': '4.22.0' },
    });
    write(
      'packages/nn/src/index.ts',
      "import type { Tensor } from '@tensorflow/tfjs-core';\nexport { core } from '@imecd/core';\nexport type T = Tensor;\n",
    );
    // Tests may load any backend, and comments or strings that mention imports are not imports.
    write('packages/nn/src/index.test.ts', "import '@tensorflow/tfjs-backend-wasm';\nimport '@imecd/metrics';\n");
    write(
      'packages/nn/src/notes.ts',
      "// import '@tensorflow/tfjs-backend-wasm';\nexport const hint = \"import('@imecd/metrics')\";\n",
    );
    workspacePackage('apps/cli', '@imecd/reproduce', {
      dependencies: { '@imecd/nn': 'workspace:^', '@tensorflow/tfjs': '4.22.0', '@tensorflow/tfjs-core': '4.22.0' },
    });
    write('apps/cli/src/cli.ts', "import '@tensorflow/tfjs';\nimport { core } from '@imecd/nn';\nconsole.log(core);\n");
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('passes while it follows the layers', () => {
    expect(messages()).toEqual([]);
  });

  it('fails on each deliberate breakage, naming file, line, rule and edge', () => {
    // metrics builds on nn (a layer upward), imports tfjs and reaches into nn's folder
    workspacePackage('packages/metrics', '@imecd/metrics', {
      dependencies: { '@imecd/core': 'workspace:^', '@imecd/nn': 'workspace:^' },
    });
    write(
      'packages/metrics/src/index.ts',
      [
        "import { core } from '@imecd/core';",
        "import { hint } from '@imecd/nn';",
        "import * as tf from '@tensorflow/tfjs-core';",
        "export { hint } from '../../nn/src/notes';",
        'export const metrics = [core, hint, tf];',
        "export * from './more';",
        '',
      ].join('\n'),
    );
    // nn chooses a backend (dynamically), depends instead of peer-depending on tfjs-core, imports
    // @imecd/core without declaring it, and uses a package that layers.json does not place
    workspacePackage('packages/nn', '@imecd/nn', {
      dependencies: { '@tensorflow/tfjs-core': '4.22.0', '@tensorflow/tfjs-backend-wasm': '4.22.0' },
    });
    write(
      'packages/nn/src/backend.ts',
      "export const load = () => import('@tensorflow/tfjs-backend-wasm');\nexport { core } from '@imecd/core';\n",
    );
    workspacePackage('packages/extra', '@imecd/extra');
    // core's and metrics' entries must run in a browser (browserEntries): a file core's reaches reads
    // the disk, one of metrics' reaches for a Node-only entry; core's own /node entry may use Node.
    write(
      'packages/core/src/errors.ts',
      "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
    );
    write(
      'packages/core/src/node/index.ts',
      "import { writeFile } from 'fs/promises';\nexport const write = writeFile;\n",
    );
    write('packages/metrics/src/more/index.ts', "export { write } from '@imecd/core/node';\n");

    expect(messages()).toEqual([
      'packages/extra/package.json:1: unknown-package: @imecd/extra → scripts/layers.json',
      'packages/metrics/package.json:6: layer: @imecd/metrics → @imecd/nn',
      'packages/metrics/src/index.ts:2: layer: @imecd/metrics → @imecd/nn',
      'packages/metrics/src/index.ts:3: tensor-free: @imecd/metrics → @tensorflow/tfjs-core',
      'packages/metrics/src/index.ts:3: undeclared: @imecd/metrics → @tensorflow/tfjs-core',
      'packages/metrics/src/index.ts:4: relative-escape: @imecd/metrics → ../../nn/src/notes',
      'packages/nn/package.json:5: peer-tfjs-core: @imecd/nn → dependencies: @tensorflow/tfjs-core',
      'packages/nn/package.json:6: backend-choice: @imecd/nn → @tensorflow/tfjs-backend-wasm',
      'packages/nn/src/backend.ts:1: backend-choice: @imecd/nn → @tensorflow/tfjs-backend-wasm',
      'packages/nn/src/backend.ts:2: undeclared: @imecd/nn → @imecd/core',
      'packages/nn/src/index.ts:2: undeclared: @imecd/nn → @imecd/core',
      'packages/core/src/errors.ts:1: node-only: @imecd/core → node:fs',
      'packages/metrics/src/more/index.ts:1: node-only: @imecd/metrics → @imecd/core/node',
    ]);
  });

  it('the command prints the violations and exits with 1, or prints one OK line', () => {
    const clean = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
    expect(clean.status).toBe(0);
    expect(clean.stdout).toMatch(/^check-layers: OK, 4 packages, 6 source files, \d+ imports/);

    write('packages/metrics/src/index.ts', "import { hint } from '@imecd/nn';\nexport const metrics = hint;\n");
    const broken = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('packages/metrics/src/index.ts:1: layer: @imecd/metrics → @imecd/nn\n');
    expect(broken.stderr).toContain('packages/metrics/src/index.ts:1: undeclared: @imecd/metrics → @imecd/nn\n');
    expect(broken.stderr).toContain('2. an @imecd dependency or import follows the layers');
  });
});
