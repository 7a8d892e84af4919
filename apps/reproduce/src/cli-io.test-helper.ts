import type { CliIo } from './cli-io';
import { runCli } from './run-cli';

/** Runs the CLI in-process with captured output, on one wasm thread unless `env` says otherwise. */
export async function runCaptured(argv: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stderrIsTTY: false,
    columns: 80,
    env: { IMECD_THREADS: '1', ...options.env },
    cwd: options.cwd ?? process.cwd(),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
