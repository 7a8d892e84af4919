import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Streams `file` into `hash` and returns the number of bytes read. */
export async function feedFile(file: string, hash: Hash): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return bytes;
}

/** Size and hex sha256 of a file, read as a stream (any size). */
export async function sha256OfFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  const bytes = await feedFile(file, hash);
  return { bytes, sha256: hash.digest('hex') };
}
