/** Test support for HTTP adapters: a real server on 127.0.0.1 that plays back recorded answers. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer the test server plays back. */
export interface RecordedResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
  /** Answer only after this many ms (timeout tests). */
  delayMs?: number;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface RecordedHttpServer {
  baseUrl: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (random free port) that answers each request with what
 * `respond` returns for it — the recorded API answers, error answers included.
 */
export async function startRecordedHttpServer(respond: (request: ReceivedRequest, index: number) => RecordedResponse): Promise<RecordedHttpServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const request: ReceivedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
    requests.push(request);
    const answer = respond(request, requests.length - 1);
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body);
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
