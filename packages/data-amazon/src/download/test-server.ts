import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Test helper (not exported by the package): an HTTP server on 127.0.0.1 that logs requests. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  url: string;
  /** Every request in arrival order: path and Range header. */
  requests: { path: string; range: string | undefined }[];
  close(): Promise<void>;
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** Starts a loopback server on a free port; `close` also ends open (stalled) connections. */
export async function startTestServer(handler: Handler): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const server = createServer((request, response) => {
    requests.push({ path: request.url ?? '', range: request.headers.range });
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with `body`: 200, or 206 for a `bytes=N-` Range when `honorRange` (416 past the end). */
export function sendBytes(request: IncomingMessage, response: ServerResponse, body: Buffer, honorRange = true): void {
  const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  if (!honorRange || range === null) {
    response.writeHead(200, { 'content-length': body.length });
    response.end(body);
    return;
  }
  const start = Number(range[1]);
  if (start >= body.length) {
    response.writeHead(416, { 'content-range': `bytes */${body.length}` });
    response.end();
    return;
  }
  response.writeHead(206, {
    'content-length': body.length - start,
    'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
  });
  response.end(body.subarray(start));
}

/** Sends the headers for all of `body` and its first `cut` bytes, then drops the connection. */
export function sendAndDrop(response: ServerResponse, body: Buffer, cut: number): void {
  response.writeHead(200, { 'content-length': body.length });
  response.write(body.subarray(0, cut), () => response.socket?.destroy());
}

/** A loopback port nothing listens on: bound, read and released again. */
export async function unusedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
