#!/usr/bin/env node
// `pnpm web`: builds the page and serves the build locally (Vite's preview server), which is what a
// host serves. `pnpm web build` only writes apps/web/dist, a static folder any web server can host;
// `pnpm web preview` serves the last build; `pnpm web dev` runs Vite's dev server (the @imecd sources
// reloaded as they change). Other arguments go to Vite (--port, --host; --outDir for build).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const command = args[0] && !args[0].startsWith('-') ? args.shift() : 'serve';
if (!['serve', 'build', 'preview', 'dev'].includes(command)) {
  process.stderr.write(`usage: pnpm web [build | preview | dev] [vite options]  (got "${command}")\n`);
  process.exit(2);
}
const app = fileURLToPath(new URL('..', import.meta.url));
const vite = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
const run = (viteArgs) => spawnSync(process.execPath, [vite, ...viteArgs], { cwd: app, stdio: 'inherit' }).status ?? 1;

if (command === 'build') process.exit(run(['build', ...args]));
if (command === 'dev') process.exit(run(args));
if (command === 'serve') {
  const built = run(['build']);
  if (built !== 0) process.exit(built);
}
process.exit(run(['preview', ...args]));
