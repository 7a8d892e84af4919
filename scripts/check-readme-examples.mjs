#!/usr/bin/env node
// Checks the packages the way npm users get them (part of `pnpm test`; needs the npm registry):
//
//   pnpm check:examples                                  (builds first, then runs this script)
//   node scripts/check-readme-examples.mjs [--only moe,vq] [--keep]
//
// 1. Publishable as they are: `pnpm pack` every package under packages/*, then for each tarball
//    publint (--strict), @arethetypeswrong/cli (every resolution mode: node10, node16 CommonJS,
//    node16 ESM, bundler) and `npm publish --dry-run --offline` (what changeset publish would
//    send, touching no registry).
// 2. The README examples as a user runs them: the tarballs plus @tensorflow/tfjs installed with npm
//    into a fresh project (`npm init -y`), with two module kinds side by side under it: `cjs/` (a
//    package.json of "type": "commonjs", npm's default) and `esm/` ("type": "module"); node resolves
//    both against the one install. The first ```ts or ```js block of each package's README.md is
//    copied unchanged, as a user saves it, into `cjs/<pkg>.ts` and `esm/<pkg>.ts` (a ```ts block:
//    type-checked with `tsc --strict`, module nodenext, so each folder is checked as its kind;
//    skipLibCheck skips the .d.ts files of tfjs's own dependencies, which do not pass strict mode;
//    then run with tsx) and, as JavaScript, into `cjs/<pkg>.mjs` and `esm/<pkg>.js` (run with node).
//    So every example is both strict TypeScript and plain JavaScript: no type-only syntax.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_TAIL_LINES, indent, run, runExample, tail } from './child-processes.mjs';
import { firstCodeBlock, variantsOf } from './example-blocks.mjs';
import { checkPublishable, MODULE_KINDS, makeProject } from './example-project.mjs';
import { listPackages, packPackages, selectPackages } from './pack-packages.mjs';

function parseArguments(argv) {
  const options = { keep: false, only: undefined };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--')
      continue; // `pnpm check:examples -- --keep` passes the separator through
    else if (argument === '--keep') options.keep = true;
    else if (argument === '--only' || argument.startsWith('--only=')) {
      const value = argument === '--only' ? argv[++index] : argument.slice('--only='.length);
      if (!value) throw new Error('--only needs a comma-separated list of package names');
      options.only = value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
    } else if (argument === '--help' || argument === '-h') {
      console.log('usage: node scripts/check-readme-examples.mjs [--only name,name] [--keep]');
      process.exit(0);
    } else throw new Error(`unknown argument ${argument}`);
  }
  return options;
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const started = performance.now();
  const all = listPackages();
  const checked = selectPackages(all, options.only);
  const work = mkdtempSync(join(tmpdir(), 'imecd-readme-examples-'));
  const onSignal = (signal) => {
    if (!options.keep) rmSync(work, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const results = [];
  const report = (label, failures, seconds) => {
    results.push(failures.length === 0);
    console.log(
      failures.length === 0
        ? `PASS ${label} (${seconds.toFixed(1)} s)`
        : `FAIL ${label} (${seconds.toFixed(1)} s)\n${indent(failures.join('\n'))}`,
    );
  };
  try {
    // Every package is packed: the examples need the ones they import, and any may be a dependency.
    const tarballs = packPackages(all, join(work, 'tarballs'));
    console.log(`packed ${tarballs.size} packages`);
    const projectDir = join(work, 'project');
    makeProject(projectDir, tarballs);

    console.log('\npublishable as packed (publint --strict, attw, npm publish --dry-run --offline):');
    for (const pkg of checked) {
      const begun = performance.now();
      report(
        `${pkg.name} tarball`,
        checkPublishable(pkg.name, tarballs.get(pkg.name), projectDir),
        (performance.now() - begun) / 1000,
      );
    }

    console.log('\nREADME examples, unchanged, as TypeScript and as JavaScript in a CommonJS and an ESM project:');
    const examples = [];
    for (const pkg of checked) {
      const readme = join(pkg.dir, 'README.md');
      const block = existsSync(readme) ? firstCodeBlock(readFileSync(readme, 'utf8')) : undefined;
      if (!block) {
        report(`${pkg.name} example`, [existsSync(readme) ? 'README.md has no ts/js code block' : 'no README.md'], 0);
        continue;
      }
      for (const { kind, extension, language } of variantsOf(block.language)) {
        const file = join(projectDir, kind, `${pkg.folder}.${extension}`);
        writeFileSync(file, block.code);
        examples.push({ pkg, kind, file, extension, language });
      }
    }
    // One strict type check per module kind; its errors are matched to the examples by file name.
    const typeErrors = new Map();
    for (const kind of MODULE_KINDS) {
      if (!examples.some((example) => example.kind === kind && example.language === 'ts')) continue;
      const tsc = run(
        join(projectDir, 'node_modules', '.bin', 'tsc'),
        ['-p', join(projectDir, kind), '--pretty', 'false'],
        projectDir,
      );
      for (const line of tsc.output.split('\n')) {
        const match = /^(.*?\.ts)\(\d+,\d+\): error /.exec(line);
        if (!match) continue;
        const file = join(projectDir, kind, match[1].split(/[\\/]/).pop());
        typeErrors.set(file, [...(typeErrors.get(file) ?? []), line]);
      }
      if (!tsc.ok && typeErrors.size === 0)
        throw new Error(`tsc -p ${kind} failed without a per-file error:\n${tail(tsc.output, 40)}`);
    }
    for (const example of examples) {
      const failures = [];
      const errors = typeErrors.get(example.file);
      if (errors) failures.push(`tsc --strict (${example.kind}):\n${indent(errors.join('\n'))}`);
      const command = example.language === 'ts' ? join(projectDir, 'node_modules', '.bin', 'tsx') : process.execPath;
      const result = await runExample(command, [example.file], join(projectDir, example.kind));
      const shown = `${example.kind}/${example.pkg.folder}.${example.extension}`;
      if (!result.ok)
        failures.push(
          `${example.language === 'ts' ? 'tsx' : 'node'} ${shown}: ${result.why}\n${indent(tail(result.output.trimEnd(), ERROR_TAIL_LINES))}`,
        );
      report(`${example.pkg.name} example as ${shown}`, failures, result.seconds);
    }
  } finally {
    if (options.keep) console.log(`\nkept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  const failed = results.filter((ok) => !ok).length;
  console.log(
    `\n${results.length - failed} passed, ${failed} failed (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`check-readme-examples: ${error.message}`);
    process.exit(2);
  },
);
