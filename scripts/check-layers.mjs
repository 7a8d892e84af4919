#!/usr/bin/env node
import { readdirSync, readFileSync, statSync } from 'node:fs';
// Checks the layering rules of docs/architecture.md over the workspace (issue 17): the @imecd edges
// of scripts/layers.json, where tfjs may be imported, and that imports stay declared and inside their
// package. It reads every workspace package.json (`dependencies`, `peerDependencies`,
// `optionalDependencies`; devDependencies are the tests' business) and every import, export-from,
// dynamic import and require of the non-test sources (src/**, not *.test.* or *.test-helper.*).
// Prints `file:line: rule: from → to` per violation and exits with 1, or one OK line.
//   node scripts/check-layers.mjs [ROOT]
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** The rules, as numbered in docs/architecture.md. */
export const RULES = {
  'unknown-package': '1. every workspace package is placed in scripts/layers.json',
  layer: '2. an @imecd dependency or import follows the layers (an edge of scripts/layers.json, or transitively)',
  undeclared:
    '3. an imported @imecd/* or @tensorflow/* package is in dependencies, peerDependencies or optionalDependencies',
  'backend-choice':
    '4. only @imecd/backend (and the apps) import or depend on @tensorflow/tfjs, tfjs-node* or tfjs-backend-*',
  'tensor-free': '5. @imecd/core, data-amazon, features and metrics never import or depend on @tensorflow/*',
  'peer-tfjs-core': '6. libraries peer-depend on @tensorflow/tfjs-core, never depend on it',
  'relative-escape': '7. no relative import leaves its package',
  'node-only':
    '8. what a browser entry (scripts/layers.json browserEntries) reaches imports no node: module, Node built-in or Node-only @imecd entry',
};

const SECTIONS = ['dependencies', 'peerDependencies', 'optionalDependencies'];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const NOT_CHECKED = /\.(test|test-helper)\.[cm]?[jt]sx?$/;
const BACKEND_PACKAGE = /^@tensorflow\/(tfjs|tfjs-node.*|tfjs-backend-.+)$/;

/** Reads and validates a layers file: every edge names a placed package, and the edges have no cycle. */
export function loadLayers(file) {
  const layers = JSON.parse(readFileSync(file, 'utf8'));
  const edges = layers.edges ?? {};
  const named = [layers.backend ?? [], layers.tensorFree ?? [], Object.values(edges)].flat(2);
  for (const name of named) {
    if (!Object.hasOwn(edges, name)) throw new Error(`${file}: ${name} is used but has no entry in "edges"`);
  }
  allowedDependencies(edges, file); // throws on a cycle
  return layers;
}

/** name → the set of @imecd packages it may depend on: its edges and, transitively, theirs. */
function allowedDependencies(edges, file = 'layers') {
  const allowed = new Map();
  const visit = (name, path) => {
    if (allowed.has(name)) return allowed.get(name);
    if (path.includes(name)) throw new Error(`${file}: the edges have a cycle: ${[...path, name].join(' → ')}`);
    const reach = new Set();
    for (const next of edges[name] ?? []) {
      reach.add(next);
      for (const further of visit(next, [...path, name])) reach.add(further);
    }
    allowed.set(name, reach);
    return reach;
  };
  for (const name of Object.keys(edges)) visit(name, []);
  return allowed;
}

/** The package directories of pnpm-workspace.yaml's `packages:` (entries `dir/*` or `dir`). */
function workspaceDirs(root) {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').split('\n');
  const dirs = [];
  let inPackages = false;
  for (const line of yaml) {
    if (/^\S/.test(line)) inPackages = /^packages:\s*$/.test(line);
    const entry = inPackages && /^\s+-\s+['"]?([^'"#\s]+)['"]?/.exec(line);
    if (!entry) continue;
    const pattern = entry[1].replace(/\/$/, '');
    if (pattern.endsWith('/*')) {
      const parent = join(root, pattern.slice(0, -2));
      for (const child of safeReaddir(parent).sort()) {
        if (isFile(join(parent, child, 'package.json'))) dirs.push(join(parent, child));
      }
    } else if (!/[*?{[!]/.test(pattern)) {
      if (isFile(join(root, pattern, 'package.json'))) dirs.push(join(root, pattern));
    } else {
      throw new Error(`pnpm-workspace.yaml: only "dir/*" and "dir" entries are understood, not ${pattern}`);
    }
  }
  return dirs;
}

function safeReaddir(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The non-test source files under dir, recursively, in a stable order. */
function sourceFiles(dir) {
  const files = [];
  for (const entry of safeReaddir(dir).sort()) {
    if (entry === 'node_modules') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (SOURCE.test(entry) && !NOT_CHECKED.test(entry)) files.push(path);
  }
  return files;
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The 1-based line of `"dependency":` inside `"section": {…}` of a package.json text, else 1. */
function lineOfDependency(text, section, dependency) {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trimStart().startsWith(`"${section}"`));
  const at = lines.findIndex((line, index) => index > start && line.trimStart().startsWith(`"${dependency}"`));
  return start < 0 || at < 0 ? 1 : at + 1;
}

/** The imports of one source text: `{ specifier, line }` for each import, export-from, import() and require(). */
function importsOf(text) {
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  const lineOf = (position) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle] <= position) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
  // TypeScript's own pre-processor: it skips comments and strings, and sees import()/require() too.
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((file) => ({ specifier: file.fileName, line: lineOf(file.pos) }));
}

/**
 * Checks the workspace at `root` against the rules. `layers` defaults to `<root>/scripts/layers.json`.
 * Returns `{ violations: [{ file, line, rule, from, to }], packages, files, imports }`, paths relative to root.
 */
export function checkLayers(root, { layers = loadLayers(join(root, 'scripts', 'layers.json')) } = {}) {
  root = resolve(root);
  const allowed = allowedDependencies(layers.edges);
  const tensorFree = new Set(layers.tensorFree ?? []);
  const violations = [];
  const report = (path, line, rule, from, to) =>
    violations.push({ file: relative(root, path).split(sep).join('/'), line, rule, from, to });
  const dirs = workspaceDirs(root);
  const workspace = new Set(dirs.map((dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name));
  let files = 0;
  let imports = 0;

  for (const dir of dirs) {
    const manifestFile = join(dir, 'package.json');
    const manifestText = readFileSync(manifestFile, 'utf8');
    const manifest = JSON.parse(manifestText);
    const name = manifest.name;
    const isApp = relative(root, dir).split(sep)[0] === 'apps';
    const isBackend = name === layers.backend;
    const mayUse = allowed.get(name) ?? new Set();
    const declared = new Set(SECTIONS.flatMap((section) => Object.keys(manifest[section] ?? {})));

    if (!Object.hasOwn(layers.edges, name)) report(manifestFile, 1, 'unknown-package', name, 'scripts/layers.json');

    /** Rules 2, 4, 5 for one package this one uses (by a dependency or an import); returns the rule broken. */
    const edgeRule = (target) => {
      if (target.startsWith('@imecd/')) {
        if (!mayUse.has(target)) return 'layer';
      } else if (target.startsWith('@tensorflow/') && !isApp) {
        if (tensorFree.has(name)) return 'tensor-free';
        if (!isBackend && BACKEND_PACKAGE.test(target)) return 'backend-choice';
      }
      return undefined;
    };

    for (const section of SECTIONS) {
      for (const dependency of Object.keys(manifest[section] ?? {})) {
        const line = () => lineOfDependency(manifestText, section, dependency);
        const rule = edgeRule(dependency);
        if (rule) report(manifestFile, line(), rule, name, dependency);
        if (dependency.startsWith('@imecd/') && !workspace.has(dependency)) {
          report(manifestFile, line(), 'unknown-package', name, dependency);
        }
        if (
          !isApp &&
          !tensorFree.has(name) &&
          section !== 'peerDependencies' &&
          dependency === '@tensorflow/tfjs-core'
        ) {
          report(manifestFile, line(), 'peer-tfjs-core', name, `${section}: ${dependency}`);
        }
      }
    }

    for (const file of sourceFiles(join(dir, 'src'))) {
      files++;
      for (const { specifier, line } of importsOf(readFileSync(file, 'utf8'))) {
        imports++;
        if (specifier.startsWith('.')) {
          const target = relative(dir, resolve(dirname(file), specifier));
          if (target === '..' || target.startsWith(`..${sep}`) || isAbsolute(target)) {
            report(file, line, 'relative-escape', name, specifier);
          }
          continue;
        }
        const target = packageOf(specifier);
        if (!target.startsWith('@imecd/') && !target.startsWith('@tensorflow/')) continue;
        const rule = edgeRule(target);
        if (rule) report(file, line, rule, name, specifier);
        if (!declared.has(target)) report(file, line, 'undeclared', name, specifier);
      }
    }
  }
  checkBrowserEntries(layers, dirs, report);
  return { violations, packages: dirs.length, files, imports };
}

/** Node's built-in modules by their bare names too (`fs`, `fs/promises`), as `node:` ones are. */
const NODE_BUILTIN = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * Rule 8: from each browser entry file, follows the package's relative imports and reports every
 * import of a Node built-in, or of an @imecd package entry that is not a browser entry itself.
 */
function checkBrowserEntries(layers, dirs, report) {
  const entries = layers.browserEntries ?? {};
  const browserSpecifiers = new Set(
    Object.entries(entries).flatMap(([name, files]) =>
      files.map((file) => (file === 'src/index.ts' ? name : `${name}/${file.replace(/^src\/|\/index\.ts$/g, '')}`)),
    ),
  );
  for (const dir of dirs) {
    const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
    const seen = new Set();
    const queue = (entries[name] ?? []).map((file) => join(dir, file));
    while (queue.length > 0) {
      const file = queue.pop();
      if (seen.has(file) || !isFile(file)) continue;
      seen.add(file);
      for (const { specifier, line } of importsOf(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('.')) {
          const base = resolve(dirname(file), specifier).replace(/\.js$/, '');
          queue.push(...[`${base}.ts`, join(base, 'index.ts'), base].filter(isFile).slice(0, 1));
        } else if (
          NODE_BUILTIN.has(specifier) ||
          (specifier.startsWith('@imecd/') && !browserSpecifiers.has(specifier))
        ) {
          report(file, line, 'node-only', name, specifier);
        }
      }
    }
  }
}

/** `file:line: rule: from → to`. */
export function formatViolation({ file, line, rule, from, to }) {
  return `${file}:${line}: ${rule}: ${from} → ${to}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..');
  const { violations, packages, files, imports } = checkLayers(root);
  if (violations.length > 0) {
    for (const violation of violations) process.stderr.write(`${formatViolation(violation)}\n`);
    const broken = Object.keys(RULES).filter((rule) => violations.some((violation) => violation.rule === rule));
    process.stderr.write(
      `check-layers: ${violations.length} violation(s) of the layering rules (docs/architecture.md):\n` +
        broken.map((rule) => `  ${RULES[rule]}\n`).join(''),
    );
    process.exitCode = 1;
  } else {
    process.stdout.write(
      `check-layers: OK, ${packages} packages, ${files} source files, ${imports} imports follow docs/architecture.md's layers\n`,
    );
  }
}
