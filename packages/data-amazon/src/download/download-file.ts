import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { basename, dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError } from '@imecd/core';
import { DownloadError } from './download-error';
import { feedFile } from './file-sha256';
import { OfflineError } from './offline-error';
import { openUrl, RequestError } from './open-url';

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

interface Settings {
  onEvent: (event: DownloadEvent) => void;
  expectedSize: number | undefined;
  expectedSha256: string | undefined;
  signal: AbortSignal | undefined;
  retries: number;
  retryDelayMs: number;
  timeoutMs: number;
}

/** What one attempt received; `bytes` includes what was resumed from. */
interface Received {
  bytes: number;
  sha256: string;
  total: number | undefined;
  resumed: boolean;
}

/** A failure worth another attempt; it becomes a `DownloadError` when the retries run out. */
class TransientError extends Error {}

/** The host cannot be reached at all: retrying cannot help and the user should hear at once. */
const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/** A connection that broke on the way; the next attempt resumes. */
const BROKEN_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
  'HPE_INVALID_CHUNK_SIZE',
]);

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

/** One attempt: ask (with Range when a `.part` exists), then append or rewrite the `.part`. */
async function transfer(url: string, dest: string, partFile: string, settings: Settings): Promise<Received> {
  let resumeFrom = await sizeOf(partFile);
  if (settings.expectedSize !== undefined && resumeFrom > settings.expectedSize) {
    await rm(partFile, { force: true });
    resumeFrom = 0;
  }
  // Hash what is kept before asking: a slow hash of a big `.part` must not stall the response.
  let hash = createHash('sha256');
  if (resumeFrom > 0) await feedFile(partFile, hash);
  const response = await connect(url, dest, resumeFrom > 0 ? { range: `bytes=${resumeFrom}-` } : {}, settings);
  const status = response.statusCode ?? 0;
  let total: number | undefined;
  if (status === 416 && resumeFrom > 0) {
    response.resume();
    return await completedPart(url, dest, partFile, resumeFrom, response.headers['content-range'], hash, settings);
  }
  if (status === 206) {
    const range = parseContentRange(response.headers['content-range']);
    if (range === undefined || range.start !== resumeFrom) {
      response.destroy();
      await rm(partFile, { force: true });
      throw new TransientError(
        `asked for bytes from ${resumeFrom}, got range ${response.headers['content-range'] ?? '(none)'}`,
      );
    }
    total = range.total;
  } else if (status === 200) {
    if (resumeFrom > 0) hash = createHash('sha256'); // the server ignored Range: start over
    resumeFrom = 0;
    total = contentLength(response);
  } else {
    response.resume();
    const reason = `HTTP ${status} ${response.statusMessage ?? ''}`.trim();
    if (status >= 500 || status === 408 || status === 429) throw new TransientError(reason);
    throw new DownloadError(url, reason);
  }

  settings.onEvent({ type: 'download-start', url, file: dest, total, resumedFrom: resumeFrom });
  const loaded = await appendBody(response, partFile, resumeFrom, (chunk, loadedSoFar) => {
    hash.update(chunk);
    settings.onEvent({ type: 'download-progress', url, file: dest, loaded: loadedSoFar, total });
  });
  settings.signal?.throwIfAborted();
  if (typeof loaded !== 'number') {
    const { error, bytes } = loaded;
    if (!isBrokenConnection(error)) throw error;
    throw new TransientError(`the connection broke after ${bytes} bytes: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (total !== undefined && loaded < total)
    throw new TransientError(`the server closed the connection after ${loaded} of ${total} bytes`);
  return { bytes: loaded, sha256: hash.digest('hex'), total, resumed: resumeFrom > 0 };
}

/**
 * Writes the response body to `partFile` after its first `keptBytes` (0: from scratch) and
 * returns the file's new size — or, when the connection broke, the error and the size reached.
 * What arrived is flushed either way: those bytes are what a resume builds on.
 */
async function appendBody(
  response: IncomingMessage,
  partFile: string,
  keptBytes: number,
  onChunk: (chunk: Buffer, loaded: number) => void,
): Promise<number | { error: unknown; bytes: number }> {
  const output = createWriteStream(partFile, { flags: keptBytes > 0 ? 'a' : 'w' });
  const written = finished(output); // rejects on a write error (disk full, ...), awaited below
  written.catch(() => undefined);
  let loaded = keptBytes;
  let broken: unknown;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      loaded += chunk.length;
      onChunk(chunk, loaded);
      if (!output.write(chunk)) await Promise.race([once(output, 'drain'), written]);
    }
  } catch (error) {
    broken = error;
  }
  output.end();
  await written;
  return broken === undefined ? loaded : { error: broken, bytes: loaded };
}

/** A 416 answer to a resume: the `.part` may already be the whole file (`hash` has read it). */
async function completedPart(
  url: string,
  dest: string,
  partFile: string,
  size: number,
  contentRange: string | undefined,
  hash: Hash,
  settings: Settings,
): Promise<Received> {
  const total = /^bytes \*\/(\d+)$/.exec(contentRange ?? '')?.[1];
  if (total === undefined || Number(total) !== size) {
    await rm(partFile, { force: true });
    throw new TransientError(`the server refused to resume from byte ${size}`);
  }
  settings.onEvent({ type: 'download-start', url, file: dest, total: size, resumedFrom: size });
  return { bytes: size, sha256: hash.digest('hex'), total: size, resumed: true };
}

async function connect(
  url: string,
  dest: string,
  headers: Record<string, string>,
  settings: Settings,
): Promise<IncomingMessage> {
  try {
    return await openUrl(url, { headers, timeoutMs: settings.timeoutMs, signal: settings.signal });
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    if (error.code !== undefined && OFFLINE_CODES.has(error.code)) {
      throw new OfflineError(
        { host: error.host, reason: error.code, dir: dirname(dest), names: [basename(dest)] },
        { cause: error.cause },
      );
    }
    throw new TransientError(`request failed: ${error.message}`, { cause: error.cause });
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

function resolveOptions(url: string, dest: string, options: DownloadOptions): Settings {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new InvalidArgumentError('url', `not a URL: ${JSON.stringify(url)}`);
  }
  if (protocol !== 'http:' && protocol !== 'https:')
    throw new InvalidArgumentError('url', `expected http or https, got ${url}`);
  if (typeof dest !== 'string' || dest === '') throw new InvalidArgumentError('dest', 'expected a file path');
  const {
    onEvent,
    expectedSize,
    expectedSha256,
    signal,
    retries = 3,
    retryDelayMs = 1000,
    timeoutMs = 30_000,
  } = options;
  if (onEvent !== undefined && typeof onEvent !== 'function')
    throw new InvalidArgumentError('onEvent', 'expected a function');
  if (expectedSize !== undefined && !(Number.isSafeInteger(expectedSize) && expectedSize >= 0)) {
    throw new InvalidArgumentError('expectedSize', `expected a whole number of bytes, got ${expectedSize}`);
  }
  if (expectedSha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(expectedSha256)) {
    throw new InvalidArgumentError('expectedSha256', `expected 64 hex digits, got ${JSON.stringify(expectedSha256)}`);
  }
  if (!Number.isInteger(retries) || retries < 0 || retries > 100) {
    throw new InvalidArgumentError('retries', `expected an integer in 0..100, got ${retries}`);
  }
  if (!(Number.isFinite(retryDelayMs) && retryDelayMs >= 0)) {
    throw new InvalidArgumentError('retryDelayMs', `expected a non-negative number, got ${retryDelayMs}`);
  }
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new InvalidArgumentError('timeoutMs', `expected a positive number, got ${timeoutMs}`);
  }
  return {
    onEvent: onEvent ?? (() => undefined),
    expectedSize,
    expectedSha256: expectedSha256?.toLowerCase(),
    signal,
    retries,
    retryDelayMs,
    timeoutMs,
  };
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

function parseContentRange(header: string | undefined): { start: number; total: number | undefined } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header ?? '');
  if (match === null) return undefined;
  return { start: Number(match[1]), total: match[3] === '*' ? undefined : Number(match[3]) };
}

function contentLength(response: IncomingMessage): number | undefined {
  const header = response.headers['content-length'];
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}

function isBrokenConnection(error: unknown): boolean {
  const { code, message } = error as NodeJS.ErrnoException;
  return (code !== undefined && BROKEN_CODES.has(code)) || message === 'aborted';
}
