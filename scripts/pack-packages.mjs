#!/usr/bin/env node
// Packs publishable packages of packages/* (and the workspace packages they depend on) into tarballs,
// the way `npm publish` would ship them: how to use one module before it is on the npm registry.
//
//   pnpm build && node scripts/pack-packages.mjs moe [vq …] [--out DIR]
//
// prints the `npm install` command that installs the tarballs together into any npm project (they
// depend on each other at version 0.0.0, which only the tarballs provide). No name: every package.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Publishable packages under packages/*, by name: { name, folder, dir, manifest }. */
export function listPackages() {
  const packagesDir = join(ROOT, 'packages');
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

/** The packages `wanted` names (`moe`, `@imecd/moe` or a folder name); all when `wanted` is empty. */
export function selectPackages(all, wanted) {
  if (!wanted || wanted.length === 0) return all;
  return wanted.map((name) => {
    const found = all.find((pkg) => pkg.name === name || pkg.folder === name || pkg.name === `@imecd/${name}`);
    if (!found) throw new Error(`no publishable package "${name}" (have ${all.map((pkg) => pkg.name).join(', ')})`);
    return found;
  });
}

/** `selected` plus every workspace package they depend on, transitively. */
export function withWorkspaceDependencies(selected, all) {
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

/** `pnpm pack` of each package into `destination` (pnpm turns `workspace:^` into `^<version>`); name → tarball path. */
export function packPackages(packages, destination) {
  mkdirSync(destination, { recursive: true });
  const tarballs = new Map();
  for (const pkg of packages) {
    if (!existsSync(join(pkg.dir, 'dist'))) throw new Error(`${pkg.name} has no dist/: run pnpm build first`);
    const before = new Set(readdirSync(destination));
    const result = spawnSync('pnpm', ['pack', '--pack-destination', destination], { cwd: pkg.dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`pnpm pack of ${pkg.name} failed:\n${result.stderr}`);
    const created = readdirSync(destination).filter((file) => file.endsWith('.tgz') && !before.has(file));
    if (created.length !== 1) throw new Error(`pnpm pack of ${pkg.name} produced ${created.length} tarballs`);
    tarballs.set(pkg.name, join(destination, created[0]));
  }
  return tarballs;
}

/** The peer dependencies outside this repository that the packages need (e.g. @tensorflow/tfjs-core). */
export function externalPeers(packages) {
  const ours = new Set(listPackages().map((pkg) => pkg.name));
  const peers = new Map();
  for (const pkg of packages) {
    for (const [name, range] of Object.entries(pkg.manifest.peerDependencies ?? {}))
      if (!ours.has(name)) peers.set(name, range);
  }
  return peers;
}

function main(argv) {
  const names = [];
  let out = join(ROOT, 'packed');
  for (let index = 0; index < argv.length; index++) {
    if (argv[index] === '--out') out = resolve(argv[++index] ?? '');
    else if (argv[index] === '--help' || argv[index] === '-h') {
      console.log(
        'usage: node scripts/pack-packages.mjs [NAME …] [--out DIR]   (after pnpm build; default DIR: packed/)',
      );
      return 0;
    } else names.push(argv[index]);
  }
  const all = listPackages();
  const packages = withWorkspaceDependencies(selectPackages(all, names), all);
  const tarballs = packPackages(packages, out);
  const peers = externalPeers(packages);
  console.error(`packed ${tarballs.size} package(s) into ${out}`);
  // The peers: tfjs-core is what the libraries need; @tensorflow/tfjs brings it with the cpu backend and gradients.
  const extra = peers.has('@tensorflow/tfjs-core') ? ['@tensorflow/tfjs@4.22.0'] : [];
  console.log(`npm install ${[...tarballs.values(), ...extra].join(' ')}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(`pack-packages: ${error.message}`);
    process.exitCode = 2;
  }
}
