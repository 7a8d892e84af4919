import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { basename, dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import { DownloadError } from './download-error';
import type { Settings } from './download-settings';
import { feedFile } from './file-sha256';
import { OfflineError } from './offline-error';
import { openUrl, RequestError } from './open-url';

/** What one attempt received; `bytes` includes what was resumed from. */
export interface Received {
  bytes: number;
  sha256: string;
  total: number | undefined;
  resumed: boolean;
}

/** A failure worth another attempt; it becomes a `DownloadError` when the retries run out. */
export class TransientError extends Error {}

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

/** One attempt: ask (with Range when a `.part` exists), then append or rewrite the `.part`. */
export async function transfer(url: string, dest: string, partFile: string, settings: Settings): Promise<Received> {
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

export async function sizeOf(file: string): Promise<number> {
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
