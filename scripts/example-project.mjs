// The npm project of check-readme-examples.mjs: the tarballs installed as a user installs them, with
// a CommonJS and an ESM folder, and the checks that each tarball is publishable as packed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_TAIL_LINES, indent, mustRun, run, tail } from './child-processes.mjs';

const TFJS_VERSION = '4.22.0';
/** The tools the check installs beside the packages; pinned, so a new release cannot change the verdict. */
const TOOLS = {
  typescript: '5.9.3',
  tsx: '4.23.15',
  '@types/node': '20.19.43',
  publint: '0.3.25',
  '@arethetypeswrong/cli': '0.18.5',
};
export const MODULE_KINDS = ['cjs', 'esm'];

/** A fresh npm project with the tarballs, tfjs and the tools installed, and its cjs/ and esm/ folders. */
export function makeProject(projectDir, tarballs) {
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
export function checkPublishable(name, tarball, projectDir) {
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
