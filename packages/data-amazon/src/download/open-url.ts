import type { IncomingMessage } from 'node:http';
import http from 'node:http';
import https from 'node:https';
import { DownloadError } from './download-error';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

export interface OpenUrlOptions {
  headers: Record<string, string>;
  /** Socket silence, before or during the response, that fails the request. */
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

/** A request that failed before any response: `host` is the one asked (maybe a redirect target). */
export class RequestError extends Error {
  readonly host: string;
  readonly code: string | undefined;

  constructor(host: string, cause: unknown) {
    super((cause as Error).message, { cause });
    this.host = host;
    this.code = (cause as NodeJS.ErrnoException).code;
  }
}

/**
 * GET over http or https, following up to 10 redirects (relative or absolute, across the two
 * protocols; the headers, Range included, go along). Resolves with the first non-redirect
 * response, whatever its status; the caller reads or discards its body.
 */
export async function openUrl(url: string, options: OpenUrlOptions): Promise<IncomingMessage> {
  let current = new URL(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await requestOnce(current, options);
    const location = response.headers.location;
    if (!REDIRECT_STATUSES.has(response.statusCode ?? 0) || location === undefined) return response;
    response.resume(); // a redirect's body is never needed; draining frees the socket
    current = new URL(location, current);
    if (current.protocol !== 'http:' && current.protocol !== 'https:') {
      throw new DownloadError(url, `redirected to ${current.href}, which is not http or https`);
    }
  }
  throw new DownloadError(url, `more than ${MAX_REDIRECTS} redirects`);
}

function requestOnce(url: URL, options: OpenUrlOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    let response: IncomingMessage | undefined;
    const request = transport.get(url, { headers: options.headers, signal: options.signal }, (incoming) => {
      response = incoming;
      resolve(incoming);
    });
    request.setTimeout(options.timeoutMs, () => {
      const error = Object.assign(new Error(`no data for ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' });
      // Once the response has begun, its reader must see the error; before, the request's caller.
      if (response === undefined) request.destroy(error);
      else response.destroy(error);
    });
    request.on('error', (error) => {
      if (error.name === 'AbortError') reject(error);
      else reject(new RequestError(url.host, error));
    });
  });
}
