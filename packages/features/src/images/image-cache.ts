import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@imecd/data-amazon';

/**
 * An on-disk cache of downloaded images keyed by the sha256 of the URL: `<xx>/<hash>.img` holds
 * the bytes, `<xx>/<hash>.gone` records a URL the server answered 404/410 for, so a rerun asks
 * neither again. Files appear by rename, so a killed run never leaves half an image behind.
 */
export interface ImageCache {
  /** The cached bytes, 'gone' for a URL known to be missing, or undefined when not cached. */
  get(url: string): Promise<Uint8Array | 'gone' | undefined>;
  put(url: string, bytes: Uint8Array): Promise<void>;
  markGone(url: string, reason: string): Promise<void>;
}

export function createImageCache(dir: string): ImageCache {
  const pathOf = async (url: string, suffix: '.img' | '.gone') => {
    const hash = createHash('sha256').update(url).digest('hex');
    const folder = join(dir, hash.slice(0, 2));
    await mkdir(folder, { recursive: true });
    return join(folder, `${hash}${suffix}`);
  };
  return {
    async get(url) {
      const image = await pathOf(url, '.img');
      if (existsSync(image)) return new Uint8Array(await readFile(image));
      return existsSync(await pathOf(url, '.gone')) ? 'gone' : undefined;
    },
    async put(url, bytes) {
      await writeFileAtomic(await pathOf(url, '.img'), bytes);
    },
    async markGone(url, reason) {
      await writeFileAtomic(await pathOf(url, '.gone'), `${JSON.stringify({ url, reason })}\n`);
    },
  };
}
