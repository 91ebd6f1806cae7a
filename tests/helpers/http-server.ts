// A real HTTP server on 127.0.0.1 for tests: real sockets show what mocks hide (redirects,
// compression, truncated bodies, slow servers). Port 0, so parallel test files never collide.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the server received, in arrival order. */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/data.xlsx?token=x`. */
  url: string;
  /** Header names in lower case, as node:http gives them. */
  headers: IncomingHttpHeaders;
}

/**
 * Answers one request. `index` counts requests from 0, which is how a test scripts
 * "503 first, then 200".
 */
export type Handler = (req: IncomingMessage, res: ServerResponse, index: number) => void | Promise<void>;

export interface TestServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  /** Every request so far. */
  requests: RecordedRequest[];
  /** Stops the server, cutting open (keep-alive or dripping) connections so tests never wait on them. */
  close: () => Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const index = requests.length;
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    Promise.resolve()
      .then(() => handler(req, res, index))
      .catch((err: unknown) => {
        // A broken handler must fail the test visibly, not hang it.
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`test handler failed: ${String(err)}`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
