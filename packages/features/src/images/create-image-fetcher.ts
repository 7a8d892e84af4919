import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError } from '@imecd/core';
import type { ImageInput } from '../encoder';
import type { FeatureProgressListener } from '../writer/progress-events';
import { createImageCache } from './image-cache';

/** Options of `createImageFetcher`. */
export interface ImageFetcherArgs {
  /** Folder of the on-disk cache. Required. */
  cacheDir: string;
  /** JSON-lines file that gets one line per item whose image could not be had. Default: none. */
  failureLog?: string;
  /** Downloads in flight at once. Default 8. */
  concurrency?: number;
  /** Further attempts after a failed one (network error, timeout, HTTP 429 or 5xx). Default 3. */
  retries?: number;
  /** Wait before the first retry; it doubles with each further one. Default 500 ms. */
  backoffMs?: number;
  /** Longest wait between attempts. Default 30 s. */
  maxBackoffMs?: number;
  /** Per-request limit. Default 30 s. */
  timeoutMs?: number;
  onProgress?: FeatureProgressListener;
  /** The fetch to use. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
}

export interface ImageRequest {
  item: number;
  url: string;
}

export interface ImageFetcher {
  /** One entry per request, in order: the image, or undefined when it could not be had (logged). */
  fetchAll(requests: readonly ImageRequest[], signal?: AbortSignal): Promise<(ImageInput | undefined)[]>;
}

/** A failure that no retry can fix (404, 410, an empty body); the URL is remembered as gone. */
class PermanentFailure extends Error {}

/**
 * Downloads images with at most `concurrency` requests at once, retries with exponential
 * back-off, an on-disk cache (hits make no request) and a failure log. The caller's `signal`
 * stops everything at once and is the only error that escapes; any other failure makes that one
 * image missing.
 */
export function createImageFetcher(args: ImageFetcherArgs): ImageFetcher {
  const {
    cacheDir,
    failureLog,
    concurrency = 8,
    retries = 3,
    backoffMs = 500,
    maxBackoffMs = 30_000,
    timeoutMs = 30_000,
    onProgress,
  } = args;
  const fetchImpl = args.fetch ?? globalThis.fetch;
  for (const [name, value, min] of [
    ['concurrency', concurrency, 1],
    ['retries', retries, 0],
    ['backoffMs', backoffMs, 0],
    ['timeoutMs', timeoutMs, 1],
  ] as const) {
    if (!Number.isInteger(value) || value < min)
      throw new InvalidArgumentError(name, `expected an integer ≥ ${min}, got ${value}`);
  }
  const cache = createImageCache(cacheDir);

  const logFailure = async (request: ImageRequest, attempts: number, reason: string) => {
    onProgress?.({ type: 'image-failed', item: request.item, url: request.url, attempts, reason });
    if (failureLog === undefined) return;
    await mkdir(dirname(failureLog), { recursive: true });
    await appendFile(
      failureLog,
      `${JSON.stringify({ item: request.item, url: request.url, attempts, reason, at: new Date().toISOString() })}\n`,
    );
  };

  const download = async (url: string, signal: AbortSignal | undefined): Promise<ImageInput> => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const response = await fetchImpl(url, {
      signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
    });
    if (response.status === 404 || response.status === 410) throw new PermanentFailure(`HTTP ${response.status}`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength === 0) throw new PermanentFailure('empty body');
    const contentType = response.headers.get('content-type') ?? undefined;
    return contentType === undefined ? { bytes } : { bytes, contentType };
  };

  const fetchOne = async (request: ImageRequest, signal: AbortSignal | undefined): Promise<ImageInput | undefined> => {
    const cached = await cache.get(request.url);
    if (cached === 'gone') return undefined; // logged when it was first found missing
    if (cached !== undefined) return { bytes: cached };
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      try {
        const image = await download(request.url, signal);
        await cache.put(request.url, image.bytes);
        return image;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const reason = describe(error);
        if (error instanceof PermanentFailure) {
          await cache.markGone(request.url, reason);
          await logFailure(request, attempt, reason);
          return undefined;
        }
        if (attempt > retries) {
          await logFailure(request, attempt, reason);
          return undefined;
        }
        const delayMs = Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 1));
        onProgress?.({ type: 'image-retry', item: request.item, url: request.url, attempt, delayMs, reason });
        await sleep(delayMs, undefined, { signal });
      }
    }
  };

  return {
    async fetchAll(requests, signal) {
      const results = new Array<ImageInput | undefined>(requests.length).fill(undefined);
      let next = 0;
      // `concurrency` workers take the next request until none is left.
      const worker = async () => {
        while (next < requests.length) {
          const index = next++;
          results[index] = await fetchOne(requests[index]!, signal);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
      return results;
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
    return cause === undefined ? error.message : `${error.message} (${cause})`;
  }
  return String(error);
}
