import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Received, sizeOf, TransientError, transfer } from './download-attempt';
import { DownloadError } from './download-error';
import { resolveOptions, type Settings } from './download-settings';

/** What `downloadFile` reports while it works; `file` is always the final destination. */
export type DownloadEvent =
  | { type: 'download-start'; url: string; file: string; total: number | undefined; resumedFrom: number }
  | { type: 'download-progress'; url: string; file: string; loaded: number; total: number | undefined }
  | { type: 'download-end'; url: string; file: string; bytes: number; sha256: string };

export interface DownloadOptions {
  /**
   * Receives `download-start` once per attempt, `download-progress` once per received chunk
   * (`loaded` counts resumed bytes too) and `download-end` once. Default: none.
   */
  onEvent?: (event: DownloadEvent) => void;
  /** The exact size in bytes; any other size is an error. Default: only the server's length is checked. */
  expectedSize?: number;
  /** Hex sha256 of the whole file, either case; any other hash is an error. Default: not checked. */
  expectedSha256?: string;
  /** Stops the download, rejecting with the signal's reason; the `.part` stays for a resume. Default: none. */
  signal?: AbortSignal;
  /**
   * Further attempts after a broken transfer (reset connection, silence past `timeoutMs`, HTTP
   * 5xx/408/429), each resuming from the `.part`. At most 100. Default 3.
   */
  retries?: number;
  /** Pause before further attempt n (from 0): `retryDelayMs × 2^n` milliseconds. Default 1000. */
  retryDelayMs?: number;
  /** Milliseconds of silence from the server, while connecting or receiving, that end an attempt. Default 30000. */
  timeoutMs?: number;
}

export interface DownloadResult {
  file: string;
  bytes: number;
  sha256: string;
  /** Whether the successful attempt continued an earlier `.part` file. */
  resumed: boolean;
}

/**
 * Downloads `url` to `dest`, resumably. Bytes go to `<dest>.part`; an existing `.part` is resumed
 * with an HTTP Range request (a server that ignores Range and answers 200 gets a fresh download).
 * The result must match the server's Content-Length/Content-Range, `expectedSize` and
 * `expectedSha256` when given, and is then renamed to `dest` in one atomic step, so `dest` never
 * holds a partial file. Redirects are followed (http and https).
 *
 * Errors: `OfflineError` when the host cannot be reached; `DownloadError` for HTTP errors,
 * breaks that outlast the retries (the `.part` stays) and size or sha256 mismatches (the `.part`
 * is deleted, no `dest` is written); the signal's reason when aborted.
 */
export async function downloadFile(url: string, dest: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const settings = resolveOptions(url, dest, options);
  const partFile = `${dest}.part`;
  await mkdir(dirname(dest), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    settings.signal?.throwIfAborted();
    try {
      const received = await transfer(url, dest, partFile, settings);
      return await finish(url, dest, partFile, received, settings);
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
      if (attempt >= settings.retries) {
        const resumable = (await sizeOf(partFile)) > 0 ? `; ${partFile} is kept, so a new call resumes` : '';
        throw new DownloadError(url, `${error.message} (gave up after ${attempt + 1} attempts${resumable})`, {
          cause: error.cause,
        });
      }
      await sleep(settings.retryDelayMs * 2 ** attempt, undefined, { signal: settings.signal });
    }
  }
}

/** Checks the finished `.part` and renames it to `dest`; a mismatch deletes it. */
async function finish(
  url: string,
  dest: string,
  partFile: string,
  received: Received,
  settings: Settings,
): Promise<DownloadResult> {
  const { bytes, sha256 } = received;
  let mismatch: string | undefined;
  if (received.total !== undefined && bytes !== received.total) {
    mismatch = `size mismatch: got ${bytes} bytes, the server announced ${received.total}`;
  } else if (settings.expectedSize !== undefined && bytes !== settings.expectedSize) {
    mismatch = `size mismatch: got ${bytes} bytes, expected ${settings.expectedSize}`;
  } else if (settings.expectedSha256 !== undefined && sha256 !== settings.expectedSha256) {
    mismatch = `sha256 mismatch: got ${sha256}, expected ${settings.expectedSha256}`;
  }
  if (mismatch !== undefined) {
    await rm(partFile, { force: true });
    throw new DownloadError(url, `${mismatch}; the partial file was deleted`);
  }
  await rename(partFile, dest);
  settings.onEvent({ type: 'download-end', url, file: dest, bytes, sha256 });
  return { file: dest, bytes, sha256, resumed: received.resumed };
}
