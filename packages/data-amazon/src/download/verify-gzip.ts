import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { DataFormatError } from '@imecd/core';

/**
 * Decompresses `file` to nowhere and returns the decompressed size; a truncated or corrupt gzip
 * (or a file that is not gzip at all, such as an HTML error page) throws `DataFormatError`.
 */
export async function verifyGzip(file: string): Promise<number> {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  try {
    await pipeline(createReadStream(file), createGunzip(), sink);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (!code?.startsWith('Z_')) throw error;
    const reason =
      code === 'Z_BUF_ERROR' ? `truncated gzip: it ends after ${bytes} decompressed bytes` : `corrupt gzip: ${message}`;
    throw new DataFormatError(file, undefined, reason, { cause: error });
  }
  return bytes;
}
