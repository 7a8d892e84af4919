#!/usr/bin/env node
// Checks that the first code block of every package README runs as written against the packed package.
//
//   pnpm check:examples                                  (builds first, then runs this script)
//   node scripts/check-readme-examples.mjs [--only backend,@imecd/nn] [--keep]
//
// Steps: `pnpm pack` every publishable package under packages/* (plus the workspace packages the
// checked ones depend on) into a temp folder; `npm init -y` a fresh temp project; one `npm install`
// of all tarballs plus @tensorflow/tfjs, with `overrides` so that the `^0.0.0` ranges `pnpm pack`
// writes for `workspace:^` resolve to the local tarballs; then, for each package, take the first
// ```ts / ```js / ```typescript / ```javascript block of its README.md, transpile it to ESM with esbuild,
// write it as <pkg>.mjs in the temp project and run it with node (one at a time, 120 s each).
// Needs the npm registry (for @tensorflow/tfjs and third-party dependencies). Expects `pnpm build` done.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TFJS_VERSION = '4.22.0';
const RUN_TIMEOUT_MS = 120_000;
const ERROR_TAIL_LINES = 25;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// esbuild is not a root dependency: resolve it through tsup, which depends on it.
const requireFromRoot = createRequire(join(root, 'package.json'));
const requireFromTsup = createRequire(requireFromRoot.resolve('tsup/package.json'));
const esbuild = requireFromTsup('esbuild');

function parseArguments(argv) {
  const options = { keep: false, only: undefined };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--') continue; // `pnpm check:examples -- --keep` passes the separator through
    else if (argument === '--keep') options.keep = true;
    else if (argument === '--only' || argument.startsWith('--only=')) {
      const value = argument === '--only' ? argv[++index] : argument.slice('--only='.length);
      if (!value) throw new Error('--only needs a comma-separated list of package names');
      options.only = value.split(',').map((name) => name.trim()).filter(Boolean);
    } else if (argument === '--help' || argument === '-h') {
      console.log('usage: node scripts/check-readme-examples.mjs [--only name,name] [--keep]');
      process.exit(0);
    } else throw new Error(`unknown argument ${argument}`);
  }
  return options;
}

/** Publishable packages under packages/*: { name, dir, manifest }. */
function listPackages() {
  const packagesDir = join(root, 'packages');
  const packages = [];
  for (const entry of readdirSync(packagesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(packagesDir, entry.name);
    const manifestFile = join(dir, 'package.json');
    if (!existsSync(manifestFile)) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (manifest.private || !manifest.name) continue;
    packages.push({ name: manifest.name, folder: entry.name, dir, manifest });
  }
  return packages.sort((a, b) => a.name.localeCompare(b.name));
}

function selectPackages(all, only) {
  if (!only) return all;
  return only.map((wanted) => {
    const found = all.find((pkg) => pkg.name === wanted || pkg.folder === wanted || pkg.name === `@imecd/${wanted}`);
    if (!found) throw new Error(`--only: no publishable package "${wanted}" (have ${all.map((pkg) => pkg.name).join(', ')})`);
    return found;
  });
}

/** The checked packages plus every workspace package they depend on, transitively. */
function withWorkspaceDependencies(selected, all) {
  const byName = new Map(all.map((pkg) => [pkg.name, pkg]));
  const result = new Map();
  const visit = (pkg) => {
    if (result.has(pkg.name)) return;
    result.set(pkg.name, pkg);
    const { dependencies = {}, optionalDependencies = {}, peerDependencies = {} } = pkg.manifest;
    for (const name of Object.keys({ ...dependencies, ...optionalDependencies, ...peerDependencies })) {
      const dependency = byName.get(name);
      if (dependency) visit(dependency);
    }
  };
  selected.forEach(visit);
  return [...result.values()];
}

function run(command, args, cwd, { quiet = true } = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: quiet ? 'pipe' : 'inherit', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${command} ${args.join(' ')} failed to start: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${result.status}\n${tail(output, 40)}`);
  }
  return result.stdout ?? '';
}

function tail(text, lines) {
  return text.split('\n').slice(-lines).join('\n');
}

function packPackage(pkg, destination) {
  const before = new Set(readdirSync(destination));
  run('pnpm', ['pack', '--pack-destination', destination], pkg.dir);
  const created = readdirSync(destination).filter((file) => file.endsWith('.tgz') && !before.has(file));
  if (created.length !== 1) throw new Error(`pnpm pack of ${pkg.name} produced ${created.length} tarballs`);
  return join(destination, created[0]);
}

/** The first ```ts / ```js / ```typescript / ```javascript block: { language, code } or undefined. */
function firstCodeBlock(markdown) {
  const lines = markdown.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[index]);
    if (!open) continue;
    const fence = open[1];
    const language = open[2].toLowerCase();
    const body = [];
    let end = index + 1;
    for (; end < lines.length; end++) {
      if (new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[end])) break;
      body.push(lines[end]);
    }
    if (['ts', 'typescript', 'js', 'javascript'].includes(language)) {
      return { language, code: body.join('\n') + '\n' };
    }
    index = end; // skip the other block (sh, text, ...) entirely
  }
  return undefined;
}

function transpile(block, sourceName) {
  const loader = block.language === 'ts' || block.language === 'typescript' ? 'ts' : 'js';
  return esbuild.transformSync(block.code, {
    loader,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcefile: sourceName,
  }).code;
}

function runExample(file, cwd) {
  return new Promise((resolvePromise) => {
    const started = performance.now();
    const child = spawn(process.execPath, [file], { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL'); // the example's whole process group, nothing else
      } catch {
        child.kill('SIGKILL');
      }
    }, RUN_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, timedOut, output, seconds: (performance.now() - started) / 1000 });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolvePromise({ code: null, signal: null, timedOut, output: `${output}\n${error.message}`, seconds: (performance.now() - started) / 1000 });
    });
  });
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const started = performance.now();
  const all = listPackages();
  const checked = selectPackages(all, options.only);
  const packed = withWorkspaceDependencies(checked, all);

  for (const pkg of packed) {
    if (!existsSync(join(pkg.dir, 'dist'))) throw new Error(`${pkg.name} has no dist/: run pnpm build first (pnpm check:examples does)`);
  }

  const work = mkdtempSync(join(tmpdir(), 'imecd-readme-examples-'));
  const tarballDir = join(work, 'tarballs');
  const projectDir = join(work, 'project');
  mkdirSync(tarballDir);
  mkdirSync(projectDir);
  const onSignal = (signal) => {
    if (!options.keep) rmSync(work, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let failed = 0;
  let passed = 0;
  try {
    console.log(`packing ${packed.length} package(s) into ${tarballDir}`);
    const tarballs = new Map();
    for (const pkg of packed) tarballs.set(pkg.name, packPackage(pkg, tarballDir));

    run('npm', ['init', '-y'], projectDir);
    const projectManifestFile = join(projectDir, 'package.json');
    const projectManifest = JSON.parse(readFileSync(projectManifestFile, 'utf8'));
    projectManifest.dependencies = { '@tensorflow/tfjs': TFJS_VERSION };
    projectManifest.overrides = {};
    for (const [name, tarball] of tarballs) {
      projectManifest.dependencies[name] = `file:${tarball}`;
      // `$name` = the root's own spec, so the ^0.0.0 ranges inside the tarballs resolve to the local tarball too.
      projectManifest.overrides[name] = `$${name}`;
    }
    writeFileSync(projectManifestFile, `${JSON.stringify(projectManifest, null, 2)}\n`);

    console.log(`npm install in ${projectDir} (${tarballs.size} tarballs + @tensorflow/tfjs@${TFJS_VERSION})`);
    const installStarted = performance.now();
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], projectDir);
    console.log(`installed in ${((performance.now() - installStarted) / 1000).toFixed(1)} s\n`);

    for (const pkg of checked) {
      const label = pkg.name;
      const readmeFile = join(pkg.dir, 'README.md');
      const block = existsSync(readmeFile) ? firstCodeBlock(readFileSync(readmeFile, 'utf8')) : undefined;
      if (!block) {
        failed++;
        console.log(`FAIL ${label} (0.0 s)\n    ${existsSync(readmeFile) ? 'README.md has no ts/js code block' : 'no README.md'}`);
        continue;
      }
      const exampleFile = join(projectDir, `${pkg.folder}.mjs`);
      let code;
      try {
        code = transpile(block, `${pkg.folder}/README.md`);
      } catch (error) {
        failed++;
        console.log(`FAIL ${label} (0.0 s)\n${indent(`esbuild: ${error.message}`)}`);
        continue;
      }
      writeFileSync(exampleFile, code);
      const result = await runExample(exampleFile, projectDir);
      const seconds = result.seconds.toFixed(1);
      if (result.code === 0 && !result.timedOut) {
        passed++;
        console.log(`PASS ${label} (${seconds} s)`);
      } else {
        failed++;
        const why = result.timedOut ? `timed out after ${RUN_TIMEOUT_MS / 1000} s` : result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
        console.log(`FAIL ${label} (${seconds} s) ${why}\n${indent(tail(result.output.trimEnd(), ERROR_TAIL_LINES))}`);
      }
    }
  } finally {
    if (options.keep) console.log(`\nkept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  console.log(`\n${passed} passed, ${failed} failed (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return failed === 0 ? 0 : 1;
}

function indent(text) {
  return text.split('\n').map((line) => `    ${line}`).join('\n');
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`check-readme-examples: ${error.message}`);
    process.exit(2);
  },
);
