import { parseArgs } from 'node:util';

/** Every case the bench knows, in the order it runs them. */
export const CASE_NAMES = [
  'sasrec-step',
  'sasrec-epoch',
  'sasrec-epoch-bucketed',
  'sasrec-eval',
  'sasrec-epoch-workers',
  'imecd-step-scientific',
  'imecd-epoch-scientific',
  'imecd-step-toys',
  'imecd-epoch-toys',
  'imecd-epoch-toys-preset',
] as const;
/** Cases timed through `pnpm reproduce train` (child processes), not in the bench's own process. */
export const CLI_CASE_NAMES = ['sasrec-epoch-workers'] as const;
/** Cases the bench runs in its own process, against the PyTorch reference on the same batches. */
export type InProcessCaseName = Exclude<CaseName, (typeof CLI_CASE_NAMES)[number]>;
export const isInProcessCase = (name: CaseName): name is InProcessCaseName =>
  !(CLI_CASE_NAMES as readonly string[]).includes(name);
export type CaseName = (typeof CASE_NAMES)[number];

/** The parsed command line of `pnpm bench`. */
export interface BenchArgs {
  /** Print one JSON object on stdout instead of the table. */
  json: boolean;
  /** Fewer timed steps, epochs extrapolated from a sample of their batches. */
  quick: boolean;
  /** The cases to run, in run order. */
  cases: CaseName[];
  /** Run the PyTorch reference (off: tfjs figures only, no ratios). */
  torch: boolean;
  /** Install python3-torch / libopenblas0-pthread with apt-get when missing (needs root). */
  install: boolean;
  /** The interpreter that runs the reference: Debian's, where python3-torch lives. */
  python: string;
  /** Threads the reference may use. */
  threads: number;
  /** Keep the batch files the reference read (their folder is printed), to rerun it by hand. */
  keep: boolean;
  help: boolean;
}

export const BENCH_USAGE = `pnpm bench [--json] [--quick] [--cases a,b] [--no-torch] [--no-install] [--python PATH] [--threads N] [--keep]

Times training steps, one training epoch and full-ranking evaluation of the TypeScript models
(tfjs, the backend selectBackend picks; IMECD_BACKEND overrides) and of the same models, shapes
and batches in PyTorch on CPU, in this one run, and prints throughputs and their ratios.

  --json          one JSON object on stdout (progress goes to stderr)
  --quick         fewer timed steps; epochs extrapolated from a stratified sample of their batches
  --cases LIST    comma-separated subset of: ${CASE_NAMES.join(', ')}
                  (sasrec-epoch-bucketed times the same epoch in the old length-bucketed batches: what the
                  unbiased default costs; sasrec-epoch-workers runs \`pnpm reproduce train --epochs 1\` on toys with --workers 1
                  and 2 and times their training steps: the data-parallel speed-up on this machine)
  --no-torch      skip the PyTorch reference (no ratios)
  --no-install    never run apt-get; report what is missing instead
  --python PATH   interpreter of the reference (default /usr/bin/python3, Debian's, which python3-torch uses)
  --threads N     threads of both sides, wasm's thread pool and PyTorch's (default: the cores this process
                  may use; IMECD_THREADS, when set, decides wasm's alone)
  --keep          keep the batch files the reference read and print their folder
                  (rerun: /usr/bin/python3 apps/bench/torch/reference.py FOLDER/manifest.json)`;

/** Parses argv (without node and script); throws a TypeError (node's parseArgs) or an Error with a usage message. */
export function parseBenchArgs(argv: readonly string[], defaults: { cores: number }): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      cases: { type: 'string' },
      'no-torch': { type: 'boolean', default: false },
      'no-install': { type: 'boolean', default: false },
      python: { type: 'string', default: '/usr/bin/python3' },
      threads: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const threads = values.threads === undefined ? defaults.cores : Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1)
    throw new Error(`--threads: expected a positive integer, got ${values.threads}`);
  return {
    json: values.json,
    quick: values.quick,
    cases: parseCases(values.cases),
    torch: !values['no-torch'],
    install: !values['no-install'],
    python: values.python,
    threads,
    keep: values.keep,
    help: values.help,
  };
}

function parseCases(list: string | undefined): CaseName[] {
  if (list === undefined) return [...CASE_NAMES];
  const wanted = list
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of wanted) {
    if (!(CASE_NAMES as readonly string[]).includes(name))
      throw new Error(`--cases: unknown case "${name}"; choose from ${CASE_NAMES.join(', ')}`);
  }
  if (wanted.length === 0) throw new Error('--cases: name at least one case');
  // Run order is fixed: sasrec-eval scores with the model sasrec-epoch trained, when both run.
  return CASE_NAMES.filter((name) => wanted.includes(name));
}
