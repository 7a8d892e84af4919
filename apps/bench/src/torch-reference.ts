import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Debian packages the reference needs: torch itself, and OpenBLAS (without it torch uses the reference BLAS, ~12× slower). */
export const TORCH_PACKAGES = ['python3-torch', 'libopenblas0-pthread'] as const;

/** What the reference printed (see torch/reference.py). */
export interface TorchOutput {
  torchVersion: string;
  threads: number;
  blas: string;
  peakRssMiB: number;
  cases: (
    | { id: string; stepSeconds: number[]; lastLoss: number }
    | { id: string; passSeconds: number[]; users: number }
  )[];
}

export interface TorchSetup {
  ready: boolean;
  /** Packages apt-get installed in this run. */
  installed: string[];
  /** Why the reference cannot run, or what was done; printed as is. */
  notes: string[];
}

const run = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8', stdio: 'pipe' });

const hasTorch = (python: string) => run(python, ['-c', 'import torch']).status === 0;
const hasPackage = (name: string) =>
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax, not a JS template
  run('dpkg-query', ['-W', '-f=${Status}', name]).stdout?.includes('install ok installed') ?? false;

/**
 * Makes sure `python` can import torch and OpenBLAS is installed, installing the Debian packages
 * with apt-get when missing and allowed (root only). Never throws: says what is missing instead.
 */
export function ensureTorch(options: { python: string; install: boolean; log: (line: string) => void }): TorchSetup {
  const { python, install, log } = options;
  const notes: string[] = [];
  const missing = TORCH_PACKAGES.filter((name) => (name === 'python3-torch' ? !hasTorch(python) : !hasPackage(name)));
  if (missing.length === 0) return { ready: true, installed: [], notes };
  const how = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const root = process.getuid?.() === 0;
  if (!install || !root || !existsSync('/usr/bin/apt-get')) {
    const why = !install ? '--no-install was given' : !root ? 'this process is not root' : 'there is no apt-get';
    notes.push(`missing ${missing.join(', ')} and ${why}; install with: ${root ? '' : 'sudo '}${how}`);
    return { ready: hasTorch(python), installed: [], notes };
  }
  log(`installing ${missing.join(', ')} with apt-get (the PyTorch reference needs them)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 2, 2], env });
  const result = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    stdio: ['ignore', 2, 2],
    env,
  });
  if (result.status !== 0)
    notes.push(`apt-get install ${missing.join(' ')} failed (exit ${result.status}); install them by hand: ${how}`);
  else notes.push(`installed ${missing.join(', ')} with apt-get`);
  return { ready: hasTorch(python), installed: result.status === 0 ? [...missing] : [], notes };
}

/** Whether the BLAS path the reference reports is an optimised one (OpenBLAS, MKL, BLIS). */
export function isOptimizedBlas(path: string): boolean {
  return /openblas|mkl|blis/i.test(path);
}

/** The reference script, next to dist/ (and src/) in the app folder. */
export const referenceScript = (): string => fileURLToPath(new URL('../torch/reference.py', import.meta.url));

/** Runs the reference on a manifest; its stderr goes to ours, its stdout is the JSON result. */
export function runTorchReference(python: string, manifestPath: string): TorchOutput {
  const result = spawnSync(python, [referenceScript(), manifestPath], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 2],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`the PyTorch reference failed (exit ${result.status ?? result.signal})`);
  return JSON.parse(result.stdout) as TorchOutput;
}
