import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, InvalidArgumentError } from '@imecd/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DownloadError } from './download-error';
import { type DownloadEvent, downloadFile } from './download-file';
import { OfflineError } from './offline-error';
import {
  type Handler,
  sendAndDrop,
  sendBytes,
  startTestServer,
  type TestServer,
  unusedLoopbackPort,
} from './test-server';

const dir = mkdtempSync(join(tmpdir(), 'imecd-download-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 300 kB of seeded bytes: several chunks on the wire. */
const BODY = Buffer.from(
  Array.from(
    { length: 300_000 },
    (
      (rng) => () =>
        rng.nextInt(256)
    )(createRng(11)),
  ),
);
const BODY_SHA256 = createHash('sha256').update(BODY).digest('hex');

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: Handler): Promise<TestServer> {
  server = await startTestServer(handler);
  return server;
}

let fileCount = 0;
function destination(): string {
  fileCount++;
  return join(dir, `synthetic-${fileCount}.bin`);
}

describe('downloadFile', () => {
  it('downloads with monotone progress that ends at the total, then renames atomically', async () => {
    const { url } = await serve((request, response) => sendBytes(request, response, BODY));
    const dest = destination();
    const events: DownloadEvent[] = [];
    const result = await downloadFile(`${url}/file.bin`, dest, { onEvent: (event) => events.push(event) });

    expect(result).toEqual({ file: dest, bytes: BODY.length, sha256: BODY_SHA256, resumed: false });
    expect(readFileSync(dest).equals(BODY)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(events[0]).toEqual({
      type: 'download-start',
      url: `${url}/file.bin`,
      file: dest,
      total: BODY.length,
      resumedFrom: 0,
    });
    expect(events.at(-1)).toEqual({
      type: 'download-end',
      url: `${url}/file.bin`,
      file: dest,
      bytes: BODY.length,
      sha256: BODY_SHA256,
    });
    const loaded = events.flatMap((event) => (event.type === 'download-progress' ? [event.loaded] : []));
    expect(loaded.length).toBeGreaterThan(1);
    for (let i = 1; i < loaded.length; i++) expect(loaded[i]!).toBeGreaterThan(loaded[i - 1]!);
    expect(loaded.at(-1)).toBe(BODY.length);
  });

  it('resumes an interrupted transfer with a Range request on the next call', async () => {
    let calls = 0;
    const { url, requests } = await serve((request, response) => {
      calls++;
      if (calls === 1) sendAndDrop(response, BODY, 100_000);
      else sendBytes(request, response, BODY);
    });
    const dest = destination();
    await expect(downloadFile(`${url}/drop.bin`, dest, { retries: 0 })).rejects.toThrow(
      /connection broke|closed the connection/,
    );
    const kept = statSync(`${dest}.part`).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(100_000);
    expect(existsSync(dest)).toBe(false);

    const events: DownloadEvent[] = [];
    const result = await downloadFile(`${url}/drop.bin`, dest, { onEvent: (event) => events.push(event) });
    expect(requests.map((request) => request.range)).toEqual([undefined, `bytes=${kept}-`]);
    expect(result).toEqual({ file: dest, bytes: BODY.length, sha256: BODY_SHA256, resumed: true });
    expect(readFileSync(dest).equals(BODY)).toBe(true);
    expect(events[0]).toMatchObject({ type: 'download-start', total: BODY.length, resumedFrom: kept });
  });

  it('retries a broken transfer within one call, resuming', async () => {
    let calls = 0;
    const { url, requests } = await serve((request, response) => {
      calls++;
      if (calls === 1) sendAndDrop(response, BODY, 50_000);
      else sendBytes(request, response, BODY);
    });
    const dest = destination();
    const result = await downloadFile(`${url}/drop.bin`, dest, { retries: 1, retryDelayMs: 0 });
    expect(result.resumed).toBe(true);
    expect(requests).toHaveLength(2);
    expect(requests[1]!.range).toMatch(/^bytes=\d+-$/);
    expect(readFileSync(dest).equals(BODY)).toBe(true);
  });

  it('starts over when the server ignores Range', async () => {
    const { url, requests } = await serve((request, response) => sendBytes(request, response, BODY, false));
    const dest = destination();
    writeFileSync(`${dest}.part`, Buffer.alloc(1234, 0xee)); // stale bytes that must not survive
    const events: DownloadEvent[] = [];
    const result = await downloadFile(`${url}/file.bin`, dest, { onEvent: (event) => events.push(event) });
    expect(requests[0]!.range).toBe('bytes=1234-');
    expect(result).toEqual({ file: dest, bytes: BODY.length, sha256: BODY_SHA256, resumed: false });
    expect(events[0]).toMatchObject({ type: 'download-start', resumedFrom: 0 });
    expect(readFileSync(dest).equals(BODY)).toBe(true);
  });

  it('finishes from a complete .part when the server answers 416', async () => {
    const { url } = await serve((request, response) => sendBytes(request, response, BODY));
    const dest = destination();
    writeFileSync(`${dest}.part`, BODY);
    const result = await downloadFile(`${url}/file.bin`, dest);
    expect(result).toEqual({ file: dest, bytes: BODY.length, sha256: BODY_SHA256, resumed: true });
    expect(readFileSync(dest).equals(BODY)).toBe(true);
  });

  it('fails on a size or sha256 mismatch and leaves no file behind', async () => {
    const { url } = await serve((request, response) => sendBytes(request, response, BODY));
    const sized = destination();
    await expect(downloadFile(`${url}/file.bin`, sized, { expectedSize: BODY.length + 1 })).rejects.toThrow(
      new DownloadError(
        `${url}/file.bin`,
        `size mismatch: got ${BODY.length} bytes, expected ${BODY.length + 1}; the partial file was deleted`,
      ),
    );
    expect(existsSync(sized) || existsSync(`${sized}.part`)).toBe(false);

    const hashed = destination();
    const wrong = '0'.repeat(64);
    const error = await downloadFile(`${url}/file.bin`, hashed, { expectedSha256: wrong }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toContain(`sha256 mismatch: got ${BODY_SHA256}, expected ${wrong}`);
    expect(existsSync(hashed) || existsSync(`${hashed}.part`)).toBe(false);

    const matching = destination();
    const result = await downloadFile(`${url}/file.bin`, matching, {
      expectedSize: BODY.length,
      expectedSha256: BODY_SHA256.toUpperCase(),
    });
    expect(result.sha256).toBe(BODY_SHA256);
  });

  it('fails when a resumed body overshoots the announced total', async () => {
    const { url } = await serve((_request, response) => {
      response.writeHead(206, { 'content-range': `bytes 10-19/15` });
      response.end(Buffer.alloc(10));
    });
    const dest = destination();
    writeFileSync(`${dest}.part`, Buffer.alloc(10));
    await expect(downloadFile(`${url}/file.bin`, dest)).rejects.toThrow(
      /size mismatch: got 20 bytes, the server announced 15/,
    );
    expect(existsSync(dest) || existsSync(`${dest}.part`)).toBe(false);
  });

  it('follows relative and absolute redirects and stops a redirect loop', async () => {
    const { url } = await serve((request, response) => {
      if (request.url === '/old') response.writeHead(302, { location: '/older' }).end();
      else if (request.url === '/older') response.writeHead(301, { location: `${url}/file.bin` }).end();
      else if (request.url === '/loop') response.writeHead(307, { location: '/loop' }).end();
      else sendBytes(request, response, BODY);
    });
    const dest = destination();
    expect((await downloadFile(`${url}/old`, dest)).sha256).toBe(BODY_SHA256);
    await expect(downloadFile(`${url}/loop`, destination())).rejects.toThrow(/more than 10 redirects/);
  });

  it('does not retry a 404 and retries a 503 the given number of times', async () => {
    const { url, requests } = await serve((request, response) => {
      response.writeHead(request.url === '/missing' ? 404 : 503).end();
    });
    await expect(downloadFile(`${url}/missing`, destination(), { retries: 3, retryDelayMs: 0 })).rejects.toThrow(
      /HTTP 404 Not Found/,
    );
    expect(requests).toHaveLength(1);
    await expect(downloadFile(`${url}/busy`, destination(), { retries: 2, retryDelayMs: 0 })).rejects.toThrow(
      /HTTP 503 .*gave up after 3 attempts/,
    );
    expect(requests).toHaveLength(4);
  });

  it('gives up on a server that stops sending', async () => {
    const { url } = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': BODY.length });
      response.write(BODY.subarray(0, 1000)); // and then nothing
    });
    const dest = destination();
    await expect(downloadFile(`${url}/stall.bin`, dest, { timeoutMs: 150, retries: 0 })).rejects.toThrow(
      /no data for 150 ms/,
    );
    expect(existsSync(dest)).toBe(false);
  });

  it('throws OfflineError, saying where to put the file by hand, when the host refuses', async () => {
    const port = await unusedLoopbackPort();
    const dest = join(dir, 'by-hand', 'Video_Games_5.json.gz');
    const error = await downloadFile(`http://127.0.0.1:${port}/x.gz`, dest).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OfflineError);
    const offline = error as OfflineError;
    expect(offline.code).toBe('OFFLINE');
    expect(offline.message).toBe(
      `Cannot reach 127.0.0.1:${port} (ECONNREFUSED). Without network access, download the files elsewhere and place ` +
        `them by hand in ${join(dir, 'by-hand')} under their official names: Video_Games_5.json.gz.`,
    );
  });

  it('stops when aborted, writing no final file', async () => {
    const controller = new AbortController();
    const { url } = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': BODY.length });
      response.write(BODY.subarray(0, 1000), () => controller.abort());
    });
    const dest = destination();
    await expect(downloadFile(`${url}/slow.bin`, dest, { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(existsSync(dest)).toBe(false);
    await expect(downloadFile(`${url}/slow.bin`, dest, { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('validates its arguments before any request', async () => {
    await expect(downloadFile('ftp://127.0.0.1/x', destination())).rejects.toThrow(InvalidArgumentError);
    await expect(downloadFile('http://127.0.0.1:1/x', destination(), { retries: -1 })).rejects.toThrow(
      /Invalid retries/,
    );
    await expect(downloadFile('http://127.0.0.1:1/x', destination(), { expectedSha256: 'abc' })).rejects.toThrow(
      /Invalid expectedSha256/,
    );
    await expect(downloadFile('http://127.0.0.1:1/x', destination(), { timeoutMs: 0 })).rejects.toThrow(
      /Invalid timeoutMs/,
    );
  });
});
