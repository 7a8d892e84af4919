import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../cli-io.test-helper';

// SYNTHETIC Amazon-2018-format files (not real data): 6 users who each reviewed the same 6 items.
const reviews = Array.from({ length: 36 }, (_, index) => {
  const user = Math.floor(index / 6);
  const item = (index + user) % 6;
  return JSON.stringify({
    reviewerID: `U${user}`,
    asin: `A${item}`,
    unixReviewTime: 1_500_000_000 + index * 86_400,
    overall: 5,
  });
}).join('\n');
const meta = Array.from({ length: 6 }, (_, item) =>
  JSON.stringify({
    asin: `A${item}`,
    title: `Synthetic toy ${item}`,
    brand: 'Acme',
    category: ['Toys & Games', 'Puzzles'],
  }),
).join('\n');
const files: Record<string, Buffer> = {
  '/categoryFilesSmall/Toys_and_Games_5.json.gz': gzipSync(reviews),
  '/metaFiles2/meta_Toys_and_Games.json.gz': gzipSync(meta),
};

let server: Server;
let mirror: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    const body = files[request.url ?? ''];
    if (!body) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-length': body.length, 'content-type': 'application/gzip' }).end(body);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

describe('reproduce prepare (loopback mirror)', () => {
  it('downloads the official file names, verifies them and runs the pipeline', async () => {
    const out = mkdtempSync(join(tmpdir(), 'imecd-prepare-'));
    const { code, stdout, stderr } = await runCaptured([
      'prepare',
      '--dataset',
      'toys-2018',
      '--download',
      '--mirror',
      mirror,
      '--out',
      out,
      '--json',
    ]);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ users: 6, items: 6, interactions: 36, layout: 'amazon-raw' });
    // A second run finds the verified files and needs no server.
    const again = await runCaptured(['prepare', '--dataset', 'toys-2018', '--out', out, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).interactions).toBe(36);
  }, 60_000);

  it('says clearly when the host cannot be reached, and which files to place by hand (exit 1)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'imecd-prepare-'));
    const { code, stderr } = await runCaptured([
      'prepare',
      '--dataset',
      'toys-2018',
      '--download',
      '--mirror',
      'http://127.0.0.1:9',
      '--out',
      out,
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/Toys_and_Games_5\.json\.gz/);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('rejects an unknown category (exit 2)', async () => {
    const { code, stderr } = await runCaptured(['prepare', '--dataset', 'beauty-2018']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/toys-2018/);
  });
});
