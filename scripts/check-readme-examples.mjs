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
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPackages, packPackages, selectPackages } from './pack-packages.mjs';

const TFJS_VERSION = '4.22.0';
/** The tools the check installs beside the packages; pinned, so a new release cannot change the verdict. */
const TOOLS = {
  typescript: '5.9.3',
  tsx: '4.23.15',
  '@types/node': '20.19.43',
  publint: '0.3.25',
  '@arethetypeswrong/cli': '0.18.5',
};
const RUN_TIMEOUT_MS = 120_000;
const ERROR_TAIL_LINES = 25;
const MODULE_KINDS = ['cjs', 'esm'];

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

/** Runs a command; { ok, output }. */
function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) return { ok: false, output: `${command} failed to start: ${result.error.message}` };
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

function mustRun(command, args, cwd) {
  const { ok, output } = run(command, args, cwd);
  if (!ok) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed\n${tail(output, 40)}`);
  return output;
}

function tail(text, lines) {
  return text.split('\n').slice(-lines).join('\n');
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/** The first ```ts / ```js / ```typescript / ```javascript block: { language: 'ts' | 'js', code } or undefined. */
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
    if (['ts', 'typescript'].includes(language)) return { language: 'ts', code: `${body.join('\n')}\n` };
    if (['js', 'javascript'].includes(language)) return { language: 'js', code: `${body.join('\n')}\n` };
    index = end; // skip the other block (sh, text, ...) entirely
  }
  return undefined;
}

function runExample(command, args, cwd) {
  return new Promise((resolvePromise) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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
      resolvePromise({
        ok: code === 0 && !timedOut,
        why: timedOut
          ? `timed out after ${RUN_TIMEOUT_MS / 1000} s`
          : signal
            ? `killed by ${signal}`
            : `exit code ${code}`,
        output,
        seconds: (performance.now() - started) / 1000,
      });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolvePromise({ ok: false, why: error.message, output, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/**
 * Where an example block is saved and how it runs: a ```ts block as TypeScript in both module kinds
 * and as JavaScript (.mjs in the CommonJS project, .js in the ESM one); a ```js block as the latter two.
 */
function variantsOf(language) {
  const javascript = [
    { kind: 'cjs', extension: 'mjs', language: 'js' },
    { kind: 'esm', extension: 'js', language: 'js' },
  ];
  return language === 'ts'
    ? [...MODULE_KINDS.map((kind) => ({ kind, extension: 'ts', language: 'ts' })), ...javascript]
    : javascript;
}

/** A fresh npm project with the tarballs, tfjs and the tools installed, and its cjs/ and esm/ folders. */
function makeProject(projectDir, tarballs) {
  mkdirSync(projectDir);
  mustRun('npm', ['init', '-y'], projectDir);
  const manifestFile = join(projectDir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  // Ranges as a user would write them; the tarballs meet each other's ^0.0.0 without help.
  manifest.dependencies = {
    '@tensorflow/tfjs': TFJS_VERSION,
    ...Object.fromEntries([...tarballs].map(([name, file]) => [name, `file:${file}`])),
  };
  manifest.devDependencies = { ...TOOLS };
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  const started = performance.now();
  mustRun('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], projectDir);
  console.log(
    `npm install: ${tarballs.size} tarballs, @tensorflow/tfjs@${TFJS_VERSION} and the tools in ${((performance.now() - started) / 1000).toFixed(1)} s (${manifest.type ?? 'commonjs'} project)`,
  );
  for (const kind of MODULE_KINDS) {
    const dir = join(projectDir, kind);
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ private: true, type: kind === 'esm' ? 'module' : 'commonjs' }, null, 2)}\n`,
    );
    const compilerOptions = {
      strict: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
    };
    writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify({ compilerOptions, include: ['*.ts'] }, null, 2)}\n`);
  }
}

/** publint, attw and a dry-run publish of one tarball: a list of failure texts. */
function checkPublishable(name, tarball, projectDir) {
  const bin = (tool) => join(projectDir, 'node_modules', '.bin', tool);
  const failures = [];
  const publint = run(bin('publint'), ['run', tarball, '--strict'], projectDir);
  if (!publint.ok) failures.push(`publint --strict:\n${indent(tail(publint.output, ERROR_TAIL_LINES))}`);
  const attw = run(bin('attw'), [tarball, '--format', 'ascii'], projectDir);
  if (!attw.ok) failures.push(`attw:\n${indent(tail(attw.output, ERROR_TAIL_LINES))}`);
  // --offline and a closed port: the dry run cannot reach any registry, and must not need one.
  const publish = run(
    'npm',
    ['publish', tarball, '--dry-run', '--offline', '--registry', 'http://127.0.0.1:9/', '--access', 'public'],
    projectDir,
  );
  if (!publish.ok || !publish.output.includes(`+ ${name}@`))
    failures.push(`npm publish --dry-run:\n${indent(tail(publish.output, ERROR_TAIL_LINES))}`);
  return failures;
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
