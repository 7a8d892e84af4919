#!/usr/bin/env node
// `pnpm reproduce` / `pnpm bench`: `node scripts/run-app.mjs APP ...args` builds apps/APP and what it
// depends on (turbo, cached), then runs its CLI with the remaining arguments. The build's output goes
// to stderr so that stdout carries only the CLI's result (`--json`).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [app, ...args] = process.argv.slice(2);
if (!app || !/^[a-z-]+$/.test(app)) {
  process.stderr.write('usage: node scripts/run-app.mjs APP [args...]  (APP: a folder of apps/)\n');
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const build = spawnSync(
  'pnpm',
  ['exec', 'turbo', 'run', 'build', `--filter=@imecd/${app}...`, '--output-logs=errors-only'],
  {
    cwd: root,
    stdio: ['ignore', 2, 2],
    env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env },
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);
const cli = spawnSync(
  process.execPath,
  [fileURLToPath(new URL(`../apps/${app}/dist/cli.js`, import.meta.url)), ...args],
  { stdio: 'inherit' },
);
process.exit(cli.status ?? 1);
