export interface ProgressState {
  /** What is being done, e.g. "epoch 3/50" or a file name. */
  label: string;
  done: number;
  /** Undefined when the end is not known (no bar, just the count). */
  total: number | undefined;
  /** Short right-hand text, e.g. "loss 6.213". */
  detail?: string;
  /** How to show `done`/`total`: plain counts or bytes. */
  unit?: 'count' | 'bytes';
}

export interface ProgressBar {
  update(state: ProgressState): void;
  /** Ends the line (TTY) or prints the final state (plain). */
  finish(state?: ProgressState): void;
}

const MIN_REDRAW_MS = 100;
const PLAIN_LINE_MS = 10_000;

export interface TextProgressBarOptions {
  /** Where the text goes, e.g. a stream's write. */
  write: (text: string) => void;
  /** A terminal: redraw one line with a bar. Otherwise plain lines. Default false. */
  isTTY?: boolean;
  /** The terminal's width, for the bar. Default 80. */
  columns?: number;
  /** The clock, in ms. Default Date.now. */
  now?: () => number;
}

/**
 * Progress as text: a redrawn bar with ETA on a terminal, or a plain line at most every 10 s (and
 * at the end) when the output is a file or pipe, so logs stay readable. Fits `progressBar` of
 * createProgressLogger.
 */
export function createTextProgressBar(options: TextProgressBarOptions): ProgressBar {
  const { write, isTTY = false, columns = 80, now = Date.now } = options;
  const startedAt = now();
  let lastDrawAt = -Infinity;
  let lastState: ProgressState | undefined;

  const render = (state: ProgressState): string => {
    const elapsed = (now() - startedAt) / 1000;
    const show = (value: number) => (state.unit === 'bytes' ? formatBytes(value) : String(value));
    const count = state.total === undefined ? show(state.done) : `${show(state.done)}/${show(state.total)}`;
    let eta = '';
    if (state.total !== undefined && state.done > 0 && state.done < state.total) {
      eta = ` eta ${formatDuration((elapsed * (state.total - state.done)) / state.done)}`;
    }
    const detail = state.detail ? ` ${state.detail}` : '';
    const text = `${state.label} ${count}${detail} ${formatDuration(elapsed)}${eta}`;
    if (!isTTY || state.total === undefined || state.total <= 0) return text;
    const width = Math.max(10, Math.min(30, columns - text.length - 4));
    const filled = Math.round((width * Math.min(state.done, state.total)) / state.total);
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}`;
  };

  return {
    update(state) {
      lastState = state;
      const time = now();
      const interval = isTTY ? MIN_REDRAW_MS : PLAIN_LINE_MS;
      if (time - lastDrawAt < interval) return;
      lastDrawAt = time;
      write(isTTY ? `\r\x1b[2K${render(state)}` : `${render(state)}\n`);
    },
    finish(state) {
      const final = state ?? lastState;
      if (!final) return;
      write(isTTY ? `\r\x1b[2K${render(final)}\n` : `${render(final)}\n`);
    },
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
