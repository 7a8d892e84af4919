import { InvalidArgumentError } from '@imecd/core';
import type { DownloadEvent, DownloadOptions } from './download-file';

/** DownloadOptions checked, with their defaults filled in. */
export interface Settings {
  onEvent: (event: DownloadEvent) => void;
  expectedSize: number | undefined;
  expectedSha256: string | undefined;
  signal: AbortSignal | undefined;
  retries: number;
  retryDelayMs: number;
  timeoutMs: number;
}

export function resolveOptions(url: string, dest: string, options: DownloadOptions): Settings {
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
