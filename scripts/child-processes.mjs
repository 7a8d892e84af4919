// Child processes for check-readme-examples.mjs: commands whose output becomes a failure text, and
// examples run under a time limit.
import { spawn, spawnSync } from 'node:child_process';

const RUN_TIMEOUT_MS = 120_000;
export const ERROR_TAIL_LINES = 25;

/** Runs a command; { ok, output }. */
export function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) return { ok: false, output: `${command} failed to start: ${result.error.message}` };
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

export function mustRun(command, args, cwd) {
  const { ok, output } = run(command, args, cwd);
  if (!ok) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed\n${tail(output, 40)}`);
  return output;
}

export function tail(text, lines) {
  return text.split('\n').slice(-lines).join('\n');
}

export function indent(text) {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

export function runExample(command, args, cwd) {
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
