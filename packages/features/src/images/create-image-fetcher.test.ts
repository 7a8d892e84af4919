import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@imecd/core';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ImageServer, startImageServer } from '../../test/image-server';
import { removeTemporaryFolders, temporaryFolder } from '../../test/synthetic-dataset';
import type { FeatureProgressEvent } from '../writer/progress-events';
import { createImageFetcher } from './create-image-fetcher';

afterAll(removeTemporaryFolders);

let server: ImageServer;
beforeEach(async () => {
  server = await startImageServer({ slowMs: 80, stallMs: 1_000 });
});
afterEach(() => server.close());

const text = (image: { bytes: Uint8Array } | undefined) =>
  image === undefined ? undefined : Buffer.from(image.bytes).toString();

describe('createImageFetcher against a loopback server', () => {
  it('downloads slow images with at most `concurrency` requests in flight, in request order', async () => {
    const fetcher = createImageFetcher({ cacheDir: await temporaryFolder(), concurrency: 2 });
    const requests = Array.from({ length: 6 }, (_, index) => ({
      item: index + 1,
      url: `${server.url}/slow/${index + 1}`,
    }));
    const images = await fetcher.fetchAll(requests);
    expect(images.map(text)).toEqual(['IMG:1', 'IMG:2', 'IMG:3', 'IMG:4', 'IMG:5', 'IMG:6']);
    expect(images[0]?.contentType).toBe('image/jpeg');
    expect(server.maxInFlight).toBe(2);
  });

  it('retries a 500 and a timeout with growing back-off, gives up on 404 at once, logs the failures', async () => {
    const failureLog = join(await temporaryFolder(), 'logs', 'image.failures.jsonl');
    const events: FeatureProgressEvent[] = [];
    const fetcher = createImageFetcher({
      cacheDir: await temporaryFolder(),
      failureLog,
      retries: 2,
      backoffMs: 20,
      timeoutMs: 300,
      onProgress: (event) => events.push(event),
    });
    const requests = [
      { item: 1, url: `${server.url}/flaky/a` },
      { item: 2, url: `${server.url}/stall-once/b` },
      { item: 3, url: `${server.url}/missing/c` },
      { item: 4, url: `${server.url}/down/d` },
    ];
    const images = await fetcher.fetchAll(requests);
    expect(images.map(text)).toEqual(['IMG:a', 'IMG:b', undefined, undefined]);
    const count = (path: string) => server.requests.filter((request) => request === path).length;
    expect([count('/flaky/a'), count('/stall-once/b'), count('/missing/c'), count('/down/d')]).toEqual([2, 2, 1, 3]);
    const retries = events.filter((event) => event.type === 'image-retry');
    expect(retries).toContainEqual(expect.objectContaining({ item: 2, reason: 'timed out', attempt: 1, delayMs: 20 }));
    expect(retries).toContainEqual(expect.objectContaining({ item: 4, reason: 'HTTP 500', attempt: 2, delayMs: 40 }));
    const logged = (await readFile(failureLog, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(logged.map(({ item, attempts, reason }) => ({ item, attempts, reason }))).toEqual(
      expect.arrayContaining([
        { item: 3, attempts: 1, reason: 'HTTP 404' },
        { item: 4, attempts: 3, reason: 'HTTP 500' },
      ]),
    );
    expect(logged).toHaveLength(2);
  });

  it('answers a second run from the cache without any request (a 404 included)', async () => {
    const cacheDir = await temporaryFolder();
    const requests = [
      { item: 1, url: `${server.url}/ok/x` },
      { item: 2, url: `${server.url}/missing/y` },
      { item: 3, url: `${server.url}/flaky/z` },
    ];
    const first = await createImageFetcher({ cacheDir, backoffMs: 1 }).fetchAll(requests);
    const made = server.requests.length;
    expect(made).toBe(4);
    const second = await createImageFetcher({ cacheDir }).fetchAll(requests);
    expect(server.requests.length).toBe(made);
    expect(second.map(text)).toEqual(first.map(text));
    expect(second.map(text)).toEqual(['IMG:x', undefined, 'IMG:z']);
  });

  it("stops at once on the caller's abort and validates its options", async () => {
    const controller = new AbortController();
    const fetcher = createImageFetcher({ cacheDir: await temporaryFolder(), concurrency: 1 });
    const run = fetcher.fetchAll(
      [
        { item: 1, url: `${server.url}/slow/1` },
        { item: 2, url: `${server.url}/slow/2` },
      ],
      controller.signal,
    );
    // Abort once the first request is in flight (a fixed delay raced the request on a loaded machine).
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(run).rejects.toThrow(/abort/i);
    expect(server.requests).toEqual(['/slow/1']);
    expect(() => createImageFetcher({ cacheDir: 'x', concurrency: 0 })).toThrow(InvalidArgumentError);
  });
});
