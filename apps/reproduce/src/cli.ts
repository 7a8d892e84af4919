import { processIo } from './cli-io';
import { runCli } from './run-cli';

// wasm's threaded build leaves its pthread workers unreferenced (so a finished program can exit), and a
// promise settled by one of their messages is then no reason for Node to wait: now and then the
// process ended mid-command with exit code 13 (unsettled top-level await). A referenced timer keeps it
// alive until the command settles.
const keepAlive = setInterval(() => {}, 2 ** 30);
try {
  process.exitCode = await runCli(process.argv.slice(2), processIo());
} finally {
  clearInterval(keepAlive);
}
