#!/usr/bin/env node
// The GPU check (issue 18): on whatever machine runs it, which tfjs backends load, whether each computes the
// kernels the models use as wasm does, and `pnpm bench` on each one that loads; one JSON summary on stdout,
// progress on stderr. `--no-bench` skips the bench (what the CPU test of this script does). Run it through
// scripts/gpu-check.sh, which builds first.
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const probe = fileURLToPath(new URL('../packages/backend/test-fixtures/kernel-values.mjs', import.meta.url));
export const BACKENDS = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'];
/** Largest relative difference from wasm a backend's kernels may show (float32 on another device, other summation orders). */
export const TOLERANCE = 1e-3;

const log = (line) => process.stderr.write(`[gpu-check] ${line}\n`);

function run(command, args, env = {}, timeoutSeconds = 300) {
  const result = spawnSync(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: timeoutSeconds * 1000,
    maxBuffer: 1 << 28,
  });
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error };
}

/** The kernel values of `backend`, or why it did not load. */
export function kernelValues(backend) {
  const result = run(process.execPath, [probe], { KERNEL_BACKEND: backend, IMECD_BACKEND: '' }, 180);
  let printed;
  try {
    printed = JSON.parse(result.stdout);
  } catch {
    const tail = `${result.stderr}${result.error?.message ?? ''}`.trim().split('\n').at(-1);
    return { ok: false, reason: `the probe failed (exit ${result.code}): ${tail}` };
  }
  if (printed.unavailable !== undefined) return { ok: false, reason: printed.unavailable };
  return { ok: true, ...printed };
}

/** Per kernel, the largest |a − b| / max(1, |a|) between `values` and the `reference` values. */
export function compareValues(reference, values) {
  return Object.fromEntries(
    Object.entries(reference).map(([name, expected]) => {
      const actual = values[name];
      if (!actual || actual.length !== expected.length) return [name, Number.POSITIVE_INFINITY];
      let worst = 0;
      for (let index = 0; index < expected.length; index++)
        worst = Math.max(worst, Math.abs(expected[index] - actual[index]) / Math.max(1, Math.abs(expected[index])));
      return [name, worst];
    }),
  );
}

export function gpuCheck({ bench = true } = {}) {
  const smi = run('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'], {}, 30);
  const device = smi.code === 0 ? smi.stdout.trim() : 'no NVIDIA GPU visible (nvidia-smi failed or is missing)';
  log(`device: ${device}`);
  const backends = {};
  for (const backend of BACKENDS) {
    backends[backend] = kernelValues(backend);
    log(`${backend}: ${backends[backend].ok ? 'loads' : `unavailable (${backends[backend].reason})`}`);
  }
  const reference = backends.wasm.ok ? backends.wasm.values : undefined;
  const summary = { device, node: process.version, tolerance: TOLERANCE, backends: {} };
  for (const [backend, outcome] of Object.entries(backends)) {
    if (!outcome.ok) {
      summary.backends[backend] = { loads: false, reason: outcome.reason };
      continue;
    }
    const errors = reference ? compareValues(reference, outcome.values) : {};
    const worst = Math.max(0, ...Object.values(errors));
    summary.backends[backend] = {
      loads: true,
      ...(outcome.adapter ? { adapter: outcome.adapter } : {}),
      valuesMatchWasm: reference !== undefined && worst <= TOLERANCE,
      worstRelativeError: worst,
      relativeErrors: errors,
    };
    if (bench && backend !== 'cpu') {
      log(`${backend}: pnpm bench --quick`);
      const result = run('pnpm', ['-s', 'bench', '--quick', '--json'], { IMECD_BACKEND: backend }, 1800);
      let parsed;
      try {
        parsed = JSON.parse(result.stdout);
      } catch {
        parsed = { failed: true, code: result.code, stderr: result.stderr.slice(-2000) };
      }
      summary.backends[backend].bench = parsed;
    }
  }
  return summary;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const summary = gpuCheck({ bench: !process.argv.includes('--no-bench') });
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}
