import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadDataset } from '@imecd/data-amazon';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ImageServer, startImageServer } from '../../test/image-server';
import {
  createByteSumTestImageEncoder,
  removeTemporaryFolders,
  temporaryFolder,
  writeSyntheticDataset,
} from '../../test/synthetic-dataset';
import { createImageFetcher } from './create-image-fetcher';
import { encodeImageFeatures } from './encode-image-features';
import { readImageUrls } from './read-image-urls';

afterAll(removeTemporaryFolders);

let server: ImageServer;
beforeEach(async () => {
  server = await startImageServer({ slowMs: 30 });
});
afterEach(() => server.close());

/** SYNTHETIC meta lines: 2018 JSON for items SYN1..SYN8 (SYN2 404s, SYN5 has no image), 2014 style is tested below. */
function meta2018(url: string): string {
  const lines = Array.from({ length: 8 }, (_, index) => {
    const asin = `SYN${index + 1}`;
    const image = index === 1 ? `${url}/missing/${asin}` : `${url}/${index % 2 === 0 ? 'slow' : 'flaky'}/${asin}`;
    return JSON.stringify({
      asin,
      title: `synthetic ${asin}`,
      ...(index === 4 ? {} : { imageURLHighRes: [image, `${url}/ok/second`] }),
    });
  });
  return `${lines.join('\n')}\n`;
}

describe('encodeImageFeatures', () => {
  it('reads main image URLs from 2018 and 2014 meta files by item key', async () => {
    const folder = await temporaryFolder();
    await writeFile(join(folder, 'meta2018.json'), meta2018('http://h'));
    const urls = await readImageUrls(join(folder, 'meta2018.json'), ['', 'SYN2', 'SYN5', 'OTHER', 'SYN1']);
    expect(urls).toEqual([undefined, 'http://h/missing/SYN2', undefined, undefined, 'http://h/slow/SYN1']);
    await writeFile(
      join(folder, 'meta2014.json'),
      "{'asin': 'SYN1', 'imUrl': 'http://h/a.jpg', 'categories': [['Toys']]}\n",
    );
    expect(await readImageUrls(join(folder, 'meta2014.json'), ['', 'SYN1'])).toEqual([undefined, 'http://h/a.jpg']);
  });

  it('writes image features with failed and image-less items missing, and data-amazon loads them', async () => {
    const { dir, dataset } = await writeSyntheticDataset(10);
    await writeFile(join(dir, 'meta.json'), meta2018(server.url));
    const imageUrls = await readImageUrls(join(dir, 'meta.json'), dataset.itemKeys);
    const failureLog = join(dir, 'image.failures.jsonl');
    const fetcher = createImageFetcher({ cacheDir: await temporaryFolder(), failureLog, backoffMs: 5 });
    const result = await encodeImageFeatures({
      dataset,
      encoder: createByteSumTestImageEncoder(),
      fetcher,
      imageUrls,
      dir,
      chunkSize: 3,
    });
    // Missing: SYN2 (404), SYN5 (no image), SYN9 and SYN10 (not in the meta file).
    expect(result.manifest).toMatchObject({
      modality: 'image',
      itemCount: 10,
      missingCount: 4,
      modelName: 'test/byte-sum-image-encoder',
    });
    const loaded = await loadDataset(dir, { kCore: 0 });
    expect(Array.from(loaded.features.image!.mask)).toEqual([0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 0]);
    expect(Array.from(loaded.features.image!.values.subarray(2 * 4, 3 * 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(loaded.features.image!.values.subarray(4 * 4, 5 * 4))).toEqual([
      8 /* "IMG:SYN4" */,
      expect.closeTo(0.581, 5),
      '4'.charCodeAt(0),
      1,
    ]);
    expect(
      (await readFile(failureLog, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).item),
    ).toEqual([2]);
  });

  it('marks an image the encoder cannot decode as missing and keeps the rest of its batch', async () => {
    const { dir, dataset } = await writeSyntheticDataset(3);
    const fetcher = {
      fetchAll: async (requests: readonly { item: number }[]) =>
        requests.map(({ item }) => ({ bytes: new TextEncoder().encode(item === 2 ? 'GIF89a' : `IMG:${item}`) })),
    };
    const imageUrls = [undefined, 'u1', 'u2', 'u3'];
    const result = await encodeImageFeatures({
      dataset,
      encoder: createByteSumTestImageEncoder(),
      fetcher,
      imageUrls,
      dir,
    });
    expect(result.manifest.missingCount).toBe(1);
    expect([...(await readFile(join(dir, 'image.mask')))]).toEqual([1, 0, 1]);
  });

  it('resumes after an abort mid-run and finishes with the bytes of an uninterrupted run', async () => {
    const { dir, dataset } = await writeSyntheticDataset(10);
    await writeFile(join(dir, 'meta.json'), meta2018(server.url));
    const imageUrls = await readImageUrls(join(dir, 'meta.json'), dataset.itemKeys);
    const cacheDir = await temporaryFolder();
    const reference = await temporaryFolder();
    await encodeImageFeatures({
      dataset,
      encoder: createByteSumTestImageEncoder(),
      imageUrls,
      dir: reference,
      chunkSize: 3,
      fetcher: createImageFetcher({ cacheDir: await temporaryFolder(), backoffMs: 5 }),
    });

    const controller = new AbortController();
    const killed = encodeImageFeatures({
      dataset,
      encoder: createByteSumTestImageEncoder(),
      imageUrls,
      dir,
      chunkSize: 3,
      signal: controller.signal,
      fetcher: createImageFetcher({ cacheDir, backoffMs: 5 }),
      onProgress: (event) => {
        if (event.type === 'chunk' && event.done === 3) controller.abort();
      },
    });
    await expect(killed).rejects.toThrow(/abort/i);
    const requestsBefore = server.requests.length;

    const encoder = createByteSumTestImageEncoder();
    const result = await encodeImageFeatures({
      dataset,
      encoder,
      imageUrls,
      dir,
      chunkSize: 3,
      fetcher: createImageFetcher({ cacheDir, backoffMs: 5 }),
    });
    expect(result).toMatchObject({ resumedFrom: 3, encodedNow: 7 });
    // Items 4..8 have URLs (SYN5 has none): 4 images, in two chunks; items 1..3 were not asked for again.
    expect(encoder.calls.reduce((sum, count) => sum + count, 0)).toBe(4);
    const asked = server.requests.slice(requestsBefore);
    expect(asked.some((path) => /SYN[123]$/.test(path))).toBe(false);
    for (const name of ['image.f32', 'image.mask', 'image.manifest.json']) {
      expect((await readFile(join(dir, name))).equals(await readFile(join(reference, name))), name).toBe(true);
    }
  });
});
