import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server for image tests (127.0.0.1, free port). Paths:
 * `/ok/<name>` answers 200 at once; `/slow/<name>` after `slowMs`; `/flaky/<name>` 500 the first
 * time, then 200; `/stall-once/<name>` waits `stallMs` the first time (a timeout), then 200;
 * `/down/<name>` always 500; anything else 404. The body is "IMG:<name>" (synthetic bytes).
 */
export interface ImageServer {
  url: string;
  /** Paths requested, in arrival order. */
  requests: string[];
  /** Most requests that were open at the same time. */
  maxInFlight: number;
  close(): Promise<void>;
}

export async function startImageServer(options: { slowMs?: number; stallMs?: number } = {}): Promise<ImageServer> {
  const { slowMs = 100, stallMs = 2_000 } = options;
  const seen = new Map<string, number>();
  let inFlight = 0;
  const state: Omit<ImageServer, 'close' | 'url'> = { requests: [], maxInFlight: 0 };
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    state.requests.push(path);
    const times = (seen.get(path) ?? 0) + 1;
    seen.set(path, times);
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    const [, kind = '', name = ''] = path.split('/');
    const send = (status: number, body: string) => {
      inFlight--;
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': status === 200 ? 'image/jpeg' : 'text/plain' });
      response.end(body);
    };
    const ok = () => send(200, `IMG:${name}`);
    if (kind === 'ok') ok();
    else if (kind === 'slow') setTimeout(ok, slowMs);
    else if (kind === 'flaky') times === 1 ? send(500, 'try again') : ok();
    else if (kind === 'stall-once') times === 1 ? setTimeout(ok, stallMs) : ok();
    else if (kind === 'down') send(500, 'down');
    else send(404, 'no such image');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
