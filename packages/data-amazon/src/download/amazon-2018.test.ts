import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataFormatError, InvalidArgumentError } from '@imecd/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readAmazonMeta, readAmazonReviews } from '../readers/index';
import { AMAZON_2018_DOWNLOADS, downloadAmazon2018 } from './amazon-2018';
import type { DownloadEvent } from './download-file';
import { OfflineError } from './offline-error';
import { sendBytes, startTestServer, type TestServer, unusedLoopbackPort } from './test-server';

const root = mkdtempSync(join(tmpdir(), 'imecd-amazon-2018-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const REVIEWS = gzipSync(
  [
    '{"reviewerID": "U_SYN_A", "asin": "I_SYN_1", "unixReviewTime": 1420156800}',
    '{"reviewerID": "U_SYN_B", "asin": "I_SYN_1", "unixReviewTime": 1420243200}',
  ].join('\n'),
);
const META = gzipSync('{"asin": "I_SYN_1", "title": "Synthetic Game", "category": ["Video Games"]}\n');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves the two Video_Games files at the official paths; `bodies` may replace them. */
async function serveVideoGames(bodies: Record<string, Buffer> = {}): Promise<TestServer> {
  const files: Record<string, Buffer> = {
    '/categoryFilesSmall/Video_Games_5.json.gz': REVIEWS,
    '/metaFiles2/meta_Video_Games.json.gz': META,
    ...bodies,
  };
  server = await startTestServer((request, response) => {
    const body = files[request.url ?? ''];
    if (body === undefined) response.writeHead(404).end();
    else sendBytes(request, response, body);
  });
  return server;
}

let folderCount = 0;
function folder(): string {
  folderCount++;
  return join(root, `games-${folderCount}`);
}

describe('AMAZON_2018_DOWNLOADS', () => {
  it('lists the four paper categories at their official addresses', () => {
    expect(Object.keys(AMAZON_2018_DOWNLOADS)).toEqual(['toys-2018', 'games-2018', 'instruments-2018', 'grocery-2018']);
    expect(AMAZON_2018_DOWNLOADS['grocery-2018']).toEqual({
      category: 'Grocery_and_Gourmet_Food',
      files: [
        {
          url: 'https://jmcauley.ucsd.edu/data/amazon_v2/categoryFilesSmall/Grocery_and_Gourmet_Food_5.json.gz',
          name: 'Grocery_and_Gourmet_Food_5.json.gz',
        },
        {
          url: 'https://jmcauley.ucsd.edu/data/amazon_v2/metaFiles2/meta_Grocery_and_Gourmet_Food.json.gz',
          name: 'meta_Grocery_and_Gourmet_Food.json.gz',
        },
      ],
    });
    expect(AMAZON_2018_DOWNLOADS['toys-2018']!.category).toBe('Toys_and_Games');
    expect(AMAZON_2018_DOWNLOADS['games-2018']!.category).toBe('Video_Games');
    expect(AMAZON_2018_DOWNLOADS['instruments-2018']!.category).toBe('Musical_Instruments');
  });
});

describe('downloadAmazon2018', () => {
  it('downloads, verifies and records both files, which the readers then read', async () => {
    const { url, requests } = await serveVideoGames();
    const destDir = folder();
    const events: DownloadEvent[] = [];
    const { files } = await downloadAmazon2018('games-2018', destDir, {
      baseUrl: `${url}/`,
      onEvent: (event) => events.push(event),
    });

    expect(files).toEqual([join(destDir, 'Video_Games_5.json.gz'), join(destDir, 'meta_Video_Games.json.gz')]);
    expect(requests.map((request) => request.path)).toEqual([
      '/categoryFilesSmall/Video_Games_5.json.gz',
      '/metaFiles2/meta_Video_Games.json.gz',
    ]);
    expect(events.filter((event) => event.type === 'download-end')).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(destDir, 'checksums.json'), 'utf8'))).toEqual({
      files: [
        { name: 'Video_Games_5.json.gz', bytes: REVIEWS.length, sha256: sha256(REVIEWS) },
        { name: 'meta_Video_Games.json.gz', bytes: META.length, sha256: sha256(META) },
      ],
    });
    const users: string[] = [];
    for await (const interaction of readAmazonReviews(files[0]!)) users.push(interaction.user);
    expect(users).toEqual(['U_SYN_A', 'U_SYN_B']);
    for await (const meta of readAmazonMeta(files[1]!))
      expect(meta).toEqual({ item: 'I_SYN_1', title: 'Synthetic Game', categories: ['Video Games'] });
  });

  it('re-runs offline from checksums.json and refuses a file that changed', async () => {
    const { url } = await serveVideoGames();
    const destDir = folder();
    await downloadAmazon2018('games-2018', destDir, { baseUrl: url });
    await server!.close();
    server = undefined;
    const port = await unusedLoopbackPort();
    const offline = { baseUrl: `http://127.0.0.1:${port}` };

    expect((await downloadAmazon2018('games-2018', destDir, offline)).files).toHaveLength(2);

    const meta = join(destDir, 'meta_Video_Games.json.gz');
    const changed = Buffer.from(META);
    changed[20] = changed[20]! ^ 0x01;
    writeFileSync(meta, changed);
    const error = await downloadAmazon2018('games-2018', destDir, offline).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataFormatError);
    expect(error).toMatchObject({
      file: meta,
      reason: expect.stringContaining(`checksums.json records ${META.length} bytes with sha256 ${sha256(META)}`),
    });
  });

  it('accepts files placed by hand once they decompress fully, and refuses a truncated one', async () => {
    const port = await unusedLoopbackPort();
    const offline = { baseUrl: `http://127.0.0.1:${port}` };
    const destDir = folder();
    mkdirSync(destDir, { recursive: true });
    writeFileSync(join(destDir, 'Video_Games_5.json.gz'), REVIEWS);
    writeFileSync(join(destDir, 'meta_Video_Games.json.gz'), META);
    await downloadAmazon2018('games-2018', destDir, offline);
    const recorded = JSON.parse(readFileSync(join(destDir, 'checksums.json'), 'utf8')) as { files: { name: string }[] };
    expect(recorded.files.map((file) => file.name)).toEqual(['Video_Games_5.json.gz', 'meta_Video_Games.json.gz']);

    const truncatedDir = folder();
    mkdirSync(truncatedDir, { recursive: true });
    writeFileSync(join(truncatedDir, 'Video_Games_5.json.gz'), REVIEWS.subarray(0, REVIEWS.length - 12));
    await expect(downloadAmazon2018('games-2018', truncatedDir, offline)).rejects.toMatchObject({
      file: join(truncatedDir, 'Video_Games_5.json.gz'),
      reason: expect.stringMatching(/^truncated gzip/),
    });
  });

  it('deletes a download that does not decompress fully', async () => {
    const truncated = REVIEWS.subarray(0, REVIEWS.length - 12); // served whole, with a matching Content-Length
    const { url } = await serveVideoGames({ '/categoryFilesSmall/Video_Games_5.json.gz': truncated });
    const destDir = folder();
    const error = await downloadAmazon2018('games-2018', destDir, { baseUrl: url }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataFormatError);
    expect((error as DataFormatError).reason).toMatch(/^truncated gzip.*; the file was deleted$/);
    expect(existsSync(join(destDir, 'Video_Games_5.json.gz'))).toBe(false);
  });

  it('names the folder and every official file when the host cannot be reached', async () => {
    const port = await unusedLoopbackPort();
    const destDir = folder();
    const error = await downloadAmazon2018('toys-2018', destDir, { baseUrl: `http://127.0.0.1:${port}` }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OfflineError);
    expect((error as OfflineError).message).toBe(
      `Cannot reach 127.0.0.1:${port} (ECONNREFUSED). Without network access, download the files elsewhere and place them by hand ` +
        `in ${destDir} under their official names: Toys_and_Games_5.json.gz, meta_Toys_and_Games.json.gz.`,
    );
  });

  it('rejects an unknown name, listing the valid ones, and per-file options', async () => {
    const error = await downloadAmazon2018('beauty-2018', folder()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toContain('valid names: toys-2018, games-2018, instruments-2018, grocery-2018');
    await expect(downloadAmazon2018('toString', folder())).rejects.toThrow(InvalidArgumentError);
    await expect(downloadAmazon2018('games-2018', folder(), { expectedSize: 1 })).rejects.toThrow(/describe one file/);
    await expect(downloadAmazon2018('games-2018', folder(), { baseUrl: 'file:///tmp' })).rejects.toThrow(
      /Invalid baseUrl/,
    );
  });
});
