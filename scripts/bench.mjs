#!/usr/bin/env node
// `pnpm bench`: builds the app and what it depends on (turbo, cached), then runs its CLI.
// The build's output goes to stderr so that stdout carries only the CLI's result (`--json`).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@imecd/bench...', '--output-logs=errors-only'], {
  cwd: root,
  stdio: ['ignore', 2, 2],
  env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env },
});
if (build.status !== 0) process.exit(build.status ?? 1);
const cli = spawnSync(process.execPath, [fileURLToPath(new URL('../apps/bench/dist/cli.js', import.meta.url)), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(cli.status ?? 1);
