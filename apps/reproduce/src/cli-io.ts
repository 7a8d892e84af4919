import { createTextProgressBar } from '@imecd/experiments';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bars) rather than a file or pipe (plain lines). */
  stderrIsTTY: boolean;
  /** Terminal width for progress bars. */
  columns: number;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** Progress on the command's stderr (see createTextProgressBar). */
export function progressBar(io: CliIo) {
  return createTextProgressBar({ write: io.stderr, isTTY: io.stderrIsTTY, columns: io.columns });
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: Boolean(process.stderr.isTTY) && !process.env.CI,
    columns: process.stderr.columns ?? 80,
    env: process.env,
    cwd: process.cwd(),
  };
}
