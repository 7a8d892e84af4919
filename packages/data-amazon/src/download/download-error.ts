import { ImecdError } from '@imecd/core';

/**
 * A download that reached its host but failed: an HTTP error status, too many redirects, a
 * connection that kept breaking after every retry, or a result whose size or sha256 is not the
 * expected one. Code 'DOWNLOAD'; `url` is the address that was asked for.
 */
export class DownloadError extends ImecdError {
  readonly url: string;

  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    super('DOWNLOAD', `Download of ${url} failed: ${reason}`, options);
    this.url = url;
  }
}
