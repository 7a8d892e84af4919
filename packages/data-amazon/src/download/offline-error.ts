import { ImecdError } from '@imecd/core';

/** What an `OfflineError` says, and where the files could be put by hand instead. */
export interface OfflineDetails {
  /** The host that could not be reached. */
  host: string;
  /** The system error code: ENOTFOUND, EAI_AGAIN, ECONNREFUSED, ETIMEDOUT, ... */
  reason: string;
  /** The folder the files were meant for. */
  dir: string;
  /** The official file names to place there. */
  names: readonly string[];
}

/**
 * The download host could not be reached (no network, DNS failure, connection refused or timed
 * out). Code 'OFFLINE'. The message says how to go on without a network: put the files, under
 * their official names, in the folder by hand.
 */
export class OfflineError extends ImecdError {
  readonly host: string;
  readonly reason: string;
  readonly dir: string;
  readonly names: readonly string[];

  constructor(details: OfflineDetails, options?: { cause?: unknown }) {
    super(
      'OFFLINE',
      `Cannot reach ${details.host} (${details.reason}). Without network access, download the files ` +
        `elsewhere and place them by hand in ${details.dir} under their official names: ${details.names.join(', ')}.`,
      options,
    );
    this.host = details.host;
    this.reason = details.reason;
    this.dir = details.dir;
    this.names = [...details.names];
  }
}
